using System.Collections.Concurrent;
using System.Net;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GraphNotifications.Tests;

/// <summary>What the service writes to its logs: never a token, never a notification's content.</summary>
public sealed class LoggingTests(ServiceFactory service) : IClassFixture<ServiceFactory>
{
    [Fact]
    public async Task Logs_at_information_level_carry_neither_tokens_nor_notification_bodies()
    {
        var sink = new CapturingLoggerProvider();
        using var logged = service.WithWebHostBuilder(host => host.ConfigureTestServices(services =>
            services.AddLogging(logging => logging
                .AddProvider(sink)
                // A rule for this provider alone outranks appsettings' category filters: every category at Information.
                .AddFilter<CapturingLoggerProvider>(category: null, LogLevel.Information))));
        string token = TestTokens.Delegated("logging-user", "logging-app");
        var client = logged.CreateClient(new() { BaseAddress = new Uri("http://localhost/v1.0/") });
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        const string Secret = "top-secret-title-7c1f";
        var invalid = Bodies.Minimal(Secret);
        invalid["priority"] = "Secret-" + Secret;

        await client.PostAsync("me/notifications", Bodies.Minimal(Secret));
        await client.PostAsync("me/notifications", invalid);
        await client.GetAsync("me/notifications");
        var anonymous = logged.CreateClient(new() { BaseAddress = new Uri("http://localhost/v1.0/") });
        anonymous.DefaultRequestHeaders.Authorization = new("Bearer", token[..^4] + "AAAA");
        await anonymous.GetAsync("me/notifications");

        Assert.Contains(sink.Lines, line => line.StartsWith("Microsoft.AspNetCore.Hosting", StringComparison.Ordinal));
        Assert.Contains(sink.Lines, line => line.StartsWith("Microsoft.AspNetCore.Authentication", StringComparison.Ordinal));
        Assert.DoesNotContain(sink.Lines, line => line.Contains(Secret, StringComparison.Ordinal));
        Assert.DoesNotContain(sink.Lines, line => line.Contains(token[..40], StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_log_line_written_while_a_request_runs_carries_its_request_id()
    {
        var sink = new CapturingLoggerProvider();
        using var logged = service.WithWebHostBuilder(host => host.ConfigureTestServices(services =>
            services.AddLogging(logging => logging
                .AddProvider(sink)
                .AddFilter<CapturingLoggerProvider>(category: null, LogLevel.Information))));
        var client = logged.CreateClient(new() { BaseAddress = new Uri("http://localhost/v1.0/") });
        client.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.Delegated("logging-user-2", "logging-app-2"));

        var response = await client.PostAsync("me/notifications", Bodies.Minimal());
        string requestId = response.Headers.GetValues("request-id").Single();

        // The endpoint's own lines (routing, MVC) are written inside the request: each names the request-id.
        var during = sink.Entries.Where(e => e.Category.StartsWith("Microsoft.AspNetCore.Routing", StringComparison.Ordinal)
            && e.Scopes.TryGetValue("request-id", out var id) && Equals(id, requestId)).ToList();
        Assert.NotEmpty(during);
    }

    [Theory]
    [InlineData("notifications('a'b')")]
    [InlineData("notifications('unterminated)")]
    [InlineData("users/someone/notifications('a'b')")]
    public async Task A_malformed_key_is_the_clients_error_not_a_logged_service_failure(string url)
    {
        var sink = new CapturingLoggerProvider();
        // No rule for this provider: appsettings.json's category levels decide what it receives, as in production.
        using var logged = service.WithWebHostBuilder(host => host.ConfigureTestServices(services =>
            services.AddLogging(logging => logging.AddProvider(sink))));
        var client = logged.CreateClient(new() { BaseAddress = new Uri("http://localhost/v1.0/") });
        client.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.AppOnly("logging-app-3"));

        var response = await client.GetAsync(url);

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{(int)response.StatusCode}");
        Assert.NotNull((await response.ReadObjectAsync()).ErrorCode());
        Assert.DoesNotContain(sink.Entries, e => e.Category.StartsWith("Microsoft.AspNetCore.OData", StringComparison.Ordinal));
    }

    public sealed record Entry(string Category, string Message, IReadOnlyDictionary<string, object?> Scopes, LogLevel Level, EventId EventId);

    public sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public ConcurrentQueue<string> Lines { get; } = new();

        public ConcurrentQueue<Entry> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private Dictionary<string, object?> CurrentScopes()
        {
            var values = new Dictionary<string, object?>();
            _scopes.ForEachScope((scope, state) =>
            {
                if (scope is IEnumerable<KeyValuePair<string, object>> pairs)
                {
                    foreach (var (key, value) in pairs)
                    {
                        state[key] = value;
                    }
                }
            }, values);
            return values;
        }

        private sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => provider._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    provider.Lines.Enqueue($"{category}: {formatter(state, exception)} {exception}");
                    provider.Entries.Enqueue(new Entry(category, formatter(state, exception), provider.CurrentScopes(), logLevel, eventId));
                }
            }
        }
    }
}
