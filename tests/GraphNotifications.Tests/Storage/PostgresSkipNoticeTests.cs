using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace GraphNotifications.Tests.Storage;

/// <summary>
/// Without a PostgreSQL server, the default <c>dotnet test</c> output says once why the PostgreSQL tests skip and how
/// to run them: a diagnostic message from their fixture, which the runner prints because xunit.runner.json asks it to.
/// </summary>
public sealed class PostgresSkipNoticeTests
{
    [Fact]
    public async Task The_runner_prints_diagnostic_messages()
    {
        var settings = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "xunit.runner.json")))!;

        Assert.True(settings["diagnosticMessages"]!.GetValue<bool>());
    }

    [SkippableFact]
    public void Without_a_server_the_fixtures_of_a_run_say_why_once_and_how_to_run_them()
    {
        Skip.If(Environment.GetEnvironmentVariable(PostgresTestDatabase.Variable) is { Length: > 0 }, "A PostgreSQL server is configured.");
        Skip.If(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), "Under CI a missing server fails instead.");
        var sink = new Sink();

        using (new PostgresTestDatabase(sink))
        using (new PostgresTestDatabase(sink))
        {
        }

        string message = Assert.Single(sink.Messages);
        Assert.StartsWith("PostgreSQL tests skipped: GRAPHNOTIFICATIONS_TEST_POSTGRES is not set.", message, StringComparison.Ordinal);
        Assert.Contains(".ci/run", message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
    }

    private sealed class Sink : LongLivedMarshalByRefObject, IMessageSink
    {
        public List<string> Messages { get; } = [];

        public bool OnMessage(IMessageSinkMessage message)
        {
            if (message is IDiagnosticMessage diagnostic)
            {
                Messages.Add(diagnostic.Message);
            }

            return true;
        }
    }
}
