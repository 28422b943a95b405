using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Api.Storage;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GraphNotifications.Tests.Storage;

/// <summary>
/// <c>Idempotency-Key</c> across two instances of the service on one PostgreSQL database: neither knows what the
/// other has in flight, so the key's record, written in the create's transaction, settles who created.
/// </summary>
public sealed class PostgresIdempotencyTests(PostgresServiceFactory service) : IClassFixture<PostgresServiceFactory>
{
    [SkippableFact]
    public async Task Concurrent_retries_through_two_instances_create_exactly_one_notification()
    {
        service.Database.SkipUnlessAvailable();
        using var other = new SameDatabaseFactory(service.Database.ConnectionString);
        var clients = new[] { service.Delegated("pg-idem-user", "pg-idem-app"), other.Delegated("pg-idem-user", "pg-idem-app") };
        var body = Bodies.Minimal("Raced across instances");

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => PostWithKeyAsync(clients[i % 2], body, "pg-key")));

        Assert.All(answers, a => Assert.Contains(a.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        var ids = new HashSet<string>();
        foreach (var created in answers.Where(a => a.StatusCode == HttpStatusCode.Created))
        {
            ids.Add(JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!.GetValue<string>());
        }

        Assert.Single(ids);
        Assert.Equal(1, await service.InStoreAsync(db => db.Notifications.CountAsync(n => EF.Property<string>(n, StorageColumns.AppId) == "pg-idem-app")));
        foreach (var client in clients)
        {
            var retry = await PostWithKeyAsync(client, body, "pg-key");
            Assert.Equal(ids.Single(), JsonNode.Parse(await retry.Content.ReadAsStringAsync())!["id"]!.GetValue<string>());
        }
    }

    private static Task<HttpResponseMessage> PostWithKeyAsync(HttpClient client, JsonNode body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "me/notifications") { Content = Bodies.Json(body) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return client.SendAsync(request);
    }

    private sealed class SameDatabaseFactory(string connectionString) : ServiceFactoryBase
    {
        protected override void ConfigureStore(IWebHostBuilder builder)
        {
            builder.UseSetting("Storage:Provider", "Postgres");
            builder.UseSetting("ConnectionStrings:Notifications", connectionString);
        }
    }
}
