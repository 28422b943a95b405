using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace GraphNotifications.Tests.Hostile;

/// <summary>
/// Keeps the exceptions the service logs, by the request-id in the log scope, so that a 5xx case reports the
/// failure behind it and not only the client's view.
/// </summary>
public sealed class ServiceExceptions : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentDictionary<string, Exception> _byRequestId = new();
    private IExternalScopeProvider? _scopes;

    private readonly ConcurrentQueue<Exception> _recent = new();

    /// <summary>The exception logged for the request, else the last ones logged outside any request's scope.</summary>
    public string For(string requestId) => _byRequestId.TryRemove(requestId, out var exception)
        ? exception.ToString()
        : "(none in the request's scope; the last ones logged:)\n" + string.Join("\n---\n", _recent.Reverse().Take(2));

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(ServiceExceptions owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner._scopes?.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (exception is null || !IsEnabled(logLevel))
            {
                return;
            }

            bool scoped = false;
            owner._scopes?.ForEachScope(
                (scope, _) =>
                {
                    if (scope is IEnumerable<KeyValuePair<string, object>> values
                        && values.FirstOrDefault(v => v.Key == "request-id").Value is string requestId)
                    {
                        owner._byRequestId[requestId] = exception;
                        scoped = true;
                    }
                },
                (object?)null);
            if (!scoped)
            {
                owner._recent.Enqueue(exception);
                while (owner._recent.Count > 8)
                {
                    owner._recent.TryDequeue(out _);
                }
            }
        }
    }
}
