using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using GraphNotifications.Api.Storage;

namespace GraphNotifications.Tests.Docs;

/// <summary>
/// docs/configuration.md against the options classes the service binds (each a class with a <c>Section</c> constant):
/// every key they bind is a row of the page, with its default; every row is a key the service reads.
/// </summary>
public sealed partial class ConfigurationDocTests
{
    /// <summary>Keys the service reads without an options class of its own (or that ASP.NET Core reads).</summary>
    private static readonly string[] ReadOtherwise =
    [
        "ConnectionStrings:Notifications", // IConfiguration.GetConnectionString, Storage/StorageExtensions.cs
        "Storage:Sqlite:GroupCommit", // IConfiguration.GetValue, Storage/StorageExtensions.cs
        "Storage:Postgres:GroupCommit", // IConfiguration.GetValue, Storage/StorageExtensions.cs
        "Authentication:Schemes:Bearer:*", // ASP.NET Core's JwtBearerOptions
        "Logging:LogLevel:*", // ASP.NET Core's logging
        "--urls", // ASP.NET Core's hosting
    ];

    private static readonly string Page = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", "configuration.md"));

    public static TheoryData<string> BoundKeys() => new(Bound().Select(option => option.Key));

    [Theory]
    [MemberData(nameof(BoundKeys))]
    public void Every_bound_key_is_documented_with_its_default(string key)
    {
        var rows = Rows();
        Assert.True(rows.ContainsKey(key), $"docs/configuration.md has no row for `{key}`, which the service binds.");

        var option = Bound().Single(o => o.Key == key);
        if (Formatted(option.Default) is { } value)
        {
            Assert.Contains($"`{value}`", rows[key], StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_documented_key_is_one_the_service_reads()
    {
        var known = Bound().Select(o => o.Key).Concat(ReadOtherwise).ToHashSet(StringComparer.Ordinal);

        var unknown = Rows().Keys.Where(key => !known.Contains(key)).ToList();

        Assert.True(unknown.Count == 0, $"docs/configuration.md documents keys the service does not read: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void The_options_classes_are_found()
    {
        // A guard on the discovery itself: the classes the page is known to cover are among those found.
        var sections = Bound().Select(o => o.Key[..o.Key.LastIndexOf(':')]).ToHashSet();

        Assert.Superset(new HashSet<string> { "Storage", "Storage:ExpirySweep", "Storage:Sqlite", "Idempotency", "ChangeLog", "Subscriptions", "Subscriptions:Delivery", "Limits", "Telemetry", "Shutdown" }, sections);
    }

    /// <summary>Each public settable property of each options class of the service, as its key and default.</summary>
    private static IEnumerable<(string Key, object? Default)> Bound() =>
        from type in typeof(StorageOptions).Assembly.GetTypes()
        let section = type.GetField("Section", BindingFlags.Public | BindingFlags.Static)
        where section is { IsLiteral: true } && section.FieldType == typeof(string) && type.GetConstructor(Type.EmptyTypes) is not null
        let instance = Activator.CreateInstance(type)
        from property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
        where property.SetMethod is { IsPublic: true }
        select ($"{section.GetRawConstantValue()}:{property.Name}", property.GetValue(instance));

    /// <summary>The page's table rows: the key in the first cell, the default in the second.</summary>
    private static Dictionary<string, string> Rows() =>
        Row().Matches(Page).ToDictionary(m => m.Groups["key"].Value, m => m.Groups["default"].Value, StringComparer.Ordinal);

    /// <summary>A default as the page writes it; null when it is computed (an instance id) or absent.</summary>
    private static string? Formatted(object? value) => value switch
    {
        null or string => null,
        bool flag => flag ? "true" : "false",
        TimeSpan span => (span.Days > 0 ? $"{span.Days}.{span:hh\\:mm\\:ss}" : $"{span:hh\\:mm\\:ss}") + (span.Milliseconds > 0 ? $".{span.Milliseconds:D3}" : ""),
        Enum member => member.ToString(),
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    [GeneratedRegex(@"^\| `(?<key>[^`]+)` \| (?<default>[^|]*) \|", RegexOptions.Multiline)]
    private static partial Regex Row();
}
