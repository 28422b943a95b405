using System.Text.Json;
using System.Text.Json.Nodes;

namespace GraphNotifications.Tests;

/// <summary>
/// The quick start's <c>dotnet user-jwts create</c> writes the issuer and audiences into
/// src/GraphNotifications.Api/appsettings.Development.json, re-serializing the whole file (System.Text.Json, indented,
/// no final newline). The file is kept exactly as it writes it, so following the quick start leaves git status clean.
/// </summary>
public sealed class DevelopmentSettingsTests
{
    private static readonly string Project = Path.Combine(RepositoryRoot(), "src", "GraphNotifications.Api");

    [Fact]
    public async Task AppSettings_Development_is_byte_for_byte_what_user_jwts_writes_back()
    {
        string text = await File.ReadAllTextAsync(Path.Combine(Project, "appsettings.Development.json"));

        string rewritten = JsonNode.Parse(text)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

        Assert.Equal(rewritten, text);
    }

    [Fact]
    public async Task AppSettings_Development_already_holds_the_issuer_and_the_audiences_user_jwts_sets()
    {
        var settings = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Project, "appsettings.Development.json")))!;
        var launch = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Project, "Properties", "launchSettings.json")))!;
        var bearer = settings["Authentication"]!["Schemes"]!["Bearer"]!;

        // What user-jwts sets: the launch profiles' URLs as audiences, and its own issuer name.
        Assert.Equal(["ValidAudiences", "ValidIssuer"], bearer.AsObject().Select(p => p.Key));
        Assert.Equal("dotnet-user-jwts", bearer["ValidIssuer"]!.GetValue<string>());
        var urls = launch["profiles"]!.AsObject()
            .SelectMany(profile => (profile.Value!["applicationUrl"]?.GetValue<string>() ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
            .Distinct();
        Assert.Equal(urls, bearer["ValidAudiences"]!.AsArray().Select(a => a!.GetValue<string>()));
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "GraphNotifications.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} holds GraphNotifications.sln.");
    }
}
