using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace GraphNotifications.Bench.FeedPage;

/// <summary>A feed query exactly as the service issued it, SQLite's plan for it, and its time without HTTP.</summary>
internal sealed record CapturedQuery(string Kind, string Sql, IReadOnlyList<string> Plan, Latency SqlAlone);

/// <summary>
/// Reads the SQL of the feed queries from the service's EF Core command log
/// (<c>Microsoft.EntityFrameworkCore.Database.Command=Information</c>), then asks SQLite (the same library build
/// the service uses) for <c>EXPLAIN QUERY PLAN</c> and times the query on its own.
/// </summary>
internal static partial class QueryPlans
{
    public const string CommandLogging = "--Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command=Information";

    /// <summary>The feed SELECTs in the log, by kind: the first page, a page after a skip token (keyset), an OFFSET page.</summary>
    public static Dictionary<string, string> FeedQueries(IReadOnlyList<string> log)
    {
        var queries = new Dictionary<string, string>();
        for (int i = 0; i < log.Count; i++)
        {
            if (!log[i].StartsWith("info: Microsoft.EntityFrameworkCore.Database.Command", StringComparison.Ordinal))
            {
                continue;
            }

            // The entry's next line is "Executed DbCommand (…) [Parameters=…]"; the SQL follows, indented.
            var sql = new StringBuilder();
            int j = i + 2;
            for (; j < log.Count && log[j].StartsWith("      ", StringComparison.Ordinal); j++)
            {
                sql.AppendLine(log[j][6..]);
            }

            i = j - 1;
            string text = sql.ToString().Trim();
            if (text.StartsWith("SELECT", StringComparison.Ordinal) && text.Contains("FROM \"UserNotificationLinks\"", StringComparison.Ordinal))
            {
                string kind = text.Contains("OFFSET", StringComparison.Ordinal) ? "$skip (OFFSET)"
                    : text.Contains("\"CreatedAt\" <", StringComparison.Ordinal) ? "after a skip token"
                    : "first page";
                queries.TryAdd(kind, text);
            }
        }

        return queries;
    }

    /// <summary>
    /// The plan and the SQL-only time of <paramref name="sql"/>, its parameters bound to the values the service bound
    /// (the log shows them as '?': they are known from the request).
    /// </summary>
    public static CapturedQuery Explain(string databasePath, string kind, string sql, FeedStore store, int depth, int runs, CancellationToken cancellationToken)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();

        using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + sql;
        Bind(explain, sql, store, depth);
        var rows = new List<(int Id, int Parent, string Detail)>();
        using (var reader = explain.ExecuteReader())
        {
            while (reader.Read())
            {
                rows.Add((reader.GetInt32(0), reader.GetInt32(1), reader.GetString(3)));
            }
        }

        var levels = new Dictionary<int, int> { [0] = -1 };
        var plan = new List<string>();
        foreach (var (id, parent, detail) in rows)
        {
            levels[id] = levels.GetValueOrDefault(parent, -1) + 1;
            plan.Add(new string(' ', 2 * levels[id]) + detail);
        }

        using var query = connection.CreateCommand();
        query.CommandText = sql;
        Bind(query, sql, store, depth);
        query.Prepare();
        var latency = new Latency();
        for (int run = 0; run < runs + 5; run++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long start = Stopwatch.GetTimestamp();
            int count = 0;
            using (var reader = query.ExecuteReader())
            {
                while (reader.Read())
                {
                    for (int c = 0; c < reader.FieldCount; c++)
                    {
                        _ = reader.GetValue(c);
                    }

                    count++;
                }
            }

            if (run >= 5)
            {
                latency.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }

            int expected = Math.Min(BenchOptions.PageSize + 1, store.Count - depth);
            if (count != expected)
            {
                throw new InvalidOperationException($"The captured {kind} query read {count} rows, not {expected}:{Environment.NewLine}{sql}");
            }
        }

        return new CapturedQuery(kind, sql, plan, latency);
    }

    private static void Bind(SqliteCommand command, string sql, FeedStore store, int depth)
    {
        string? limit = Limit().Match(sql) is { Success: true } l ? l.Groups[1].Value : null;
        string? offset = Offset().Match(sql) is { Success: true } o ? o.Groups[1].Value : null;
        foreach (string name in Parameter().Matches(sql).Select(m => m.Value).Distinct())
        {
            object value = name == limit ? BenchOptions.PageSize + 1
                : name == offset ? depth
                : name.StartsWith("@userId", StringComparison.Ordinal) ? FeedStore.UserId
                : name.StartsWith("@appId", StringComparison.Ordinal) ? FeedStore.AppId
                : name.StartsWith("@tenantId", StringComparison.Ordinal) ? FeedStore.TenantId
                : name.StartsWith("@now", StringComparison.Ordinal) ? DateTimeOffset.UtcNow.UtcTicks
                // The position a skip token carries: the last item of the page before (depth - 1).
                : name.StartsWith("@createdAt", StringComparison.Ordinal) ? store.CreatedAtDepth(depth - 1)
                : name.StartsWith("@id", StringComparison.Ordinal) ? store.IdAtDepth(depth - 1)
                : throw new InvalidOperationException($"The captured SQL has a parameter the bench cannot bind: {name}{Environment.NewLine}{sql}");
            command.Parameters.AddWithValue(name, value);
        }
    }

    [GeneratedRegex(@"@\w+")]
    private static partial Regex Parameter();

    [GeneratedRegex(@"LIMIT (@\w+)")]
    private static partial Regex Limit();

    [GeneratedRegex(@"OFFSET (@\w+)")]
    private static partial Regex Offset();
}
