using System.Net;
using System.Text;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.OData;
using Microsoft.OData.Edm;
using static GraphNotifications.Tests.Batch.BatchRequests;

namespace GraphNotifications.Tests.Contract;

/// <summary>
/// A JSON <c>$batch</c> answer read as a client built on Microsoft.OData.Core reads one (OData JSON Format 4.01 §19,
/// which Graph's JSON batch is): <see cref="ODataMessageReader.CreateODataBatchReaderAsync"/> over the batch, then for
/// each operation its status, headers and a nested <see cref="ODataMessageReader"/> over
/// <see cref="ODataBatchReader.CreateOperationResponseMessageAsync"/> reading the entity, feed, metadata or error.
/// </summary>
public sealed class BatchReaderTests(ServiceFactory service, SqliteServiceFactory sqlite)
    : IClassFixture<ServiceFactory>, IClassFixture<SqliteServiceFactory>
{
    [Fact]
    public async Task Every_answer_of_a_batch_reads_with_its_status_headers_and_body()
    {
        var client = service.Delegated("batch-reader-user-1", "batch-reader-app");
        string existing = await client.CreateAsync("me/notifications", Bodies.Minimal("existing"));

        using var response = await client.PostBatchAsync(
            Request("create", "POST", "/me/notifications", Bodies.Minimal("created in a batch")),
            Request("read", "GET", $"/me/notifications/{existing}"),
            Request("feed", "GET", "/me/notifications?$orderby=id", dependsOn: ["create"]),
            Request("count", "GET", "/me/notifications/$count", dependsOn: ["create"]),
            Request("metadata", "GET", "/$metadata"),
            Request("failing", "GET", "/me/notifications/no-such-notification"),
            Request("dependent", "DELETE", $"/me/notifications/{existing}", dependsOn: ["failing"]),
            Request("delete", "DELETE", $"/me/notifications/{existing}", dependsOn: ["read", "feed", "count"]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var operations = new Dictionary<string, ODataBatchOperationResponseMessage>();
        var bodies = new Dictionary<string, object?>();
        using (var batchMessageReader = ODataClient.ReaderFor(await HttpResponseODataMessage.FromAsync(response)))
        {
            var batch = await batchMessageReader.CreateODataBatchReaderAsync();
            while (await batch.ReadAsync())
            {
                if (batch.State != ODataBatchReaderState.Operation)
                {
                    continue;
                }

                var operation = await batch.CreateOperationResponseMessageAsync();
                operations.Add(operation.ContentId, operation);
                bodies.Add(operation.ContentId, operation.ContentId switch
                {
                    "create" or "read" => await ODataClient.ReadResourceAsync(operation),
                    "feed" => (await ODataClient.ReadResourceSetAsync(operation)).Resources,
                    "metadata" => ReadMetadata(operation),
                    "failing" or "dependent" => await ReadGraphErrorAsync(await HttpResponseODataMessage.FromAsync(operation)),
                    _ => (await HttpResponseODataMessage.FromAsync(operation)).BodyText,
                });
            }

            Assert.Equal(ODataBatchReaderState.Completed, batch.State);
        }

        Assert.Equal(["create", "read", "feed", "count", "metadata", "failing", "dependent", "delete"], operations.Keys);
        Assert.All(operations.Values, op => Assert.False(string.IsNullOrEmpty(op.GetHeader("request-id")), op.ContentId));

        var create = operations["create"];
        var created = Assert.IsType<ReadResource>(bodies["create"]);
        Assert.Equal(201, create.StatusCode);
        Assert.Equal(new Uri(create.GetHeader("Location")), created.Resource.Id);
        Assert.Equal(create.GetHeader("ETag"), created.Resource.ETag);
        Assert.Equal("microsoft.graph.notification", created.Resource.TypeName);
        Assert.Equal("created in a batch", created.Nested["payload"]!.Nested["visualContent"]!["title"]);

        Assert.Equal(200, operations["read"].StatusCode);
        var read = Assert.IsType<ReadResource>(bodies["read"]);
        Assert.Equal(existing, read["id"]);
        Assert.Equal("W/\"1.1\"", operations["read"].GetHeader("ETag"));

        Assert.Equal(200, operations["feed"].StatusCode);
        var feed = Assert.IsAssignableFrom<IReadOnlyList<ReadResource>>(bodies["feed"]);
        Assert.Equal(new[] { existing, (string)created["id"]! }.Order(StringComparer.Ordinal), feed.Select(n => (string)n["id"]!));

        // A text body is a JSON string in the batch; Microsoft.OData.Core hands it over still in its JSON quotes.
        Assert.Equal(200, operations["count"].StatusCode);
        Assert.StartsWith("text/plain", operations["count"].GetHeader("Content-Type"), StringComparison.Ordinal);
        Assert.Equal("\"2\"", bodies["count"]);

        Assert.Equal(200, operations["metadata"].StatusCode);
        var model = Assert.IsAssignableFrom<IEdmModel>(bodies["metadata"]);
        Assert.NotNull(model.FindDeclaredType("microsoft.graph.notification"));

        var failing = Assert.IsType<ODataError>(bodies["failing"]);
        Assert.Equal(404, operations["failing"].StatusCode);
        Assert.Equal("notFound", failing.Code);
        Assert.Equal(operations["failing"].GetHeader("request-id"), Assert.IsType<ODataPrimitiveValue>(failing.InnerError.Properties["request-id"]).Value);

        var dependent = Assert.IsType<ODataError>(bodies["dependent"]);
        Assert.Equal(424, operations["dependent"].StatusCode);
        Assert.Equal("failedDependency", dependent.Code);
        Assert.Contains("'failing'", dependent.Message, StringComparison.Ordinal);

        Assert.Equal(204, operations["delete"].StatusCode);
        Assert.Equal(string.Empty, bodies["delete"]);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"me/notifications/{existing}")).StatusCode);
    }

    [Fact]
    public async Task An_atomicity_group_reads_as_a_change_set_whose_answers_name_their_group()
    {
        var app = sqlite.AppOnly("batch-reader-group-app");

        using var response = await app.PostBatchAsync(
            Request("before", "GET", "/notifications"),
            Request("first", "POST", "/users/batch-reader-group-u1/notifications", Bodies.Minimal(), atomicityGroup: "group"),
            Request("second", "POST", "/users/batch-reader-group-u2/notifications", Bodies.Minimal(), atomicityGroup: "group"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var read = new List<(string Id, string? Group, int Status, bool InChangeset)>();
        bool inChangeset = false;
        using var messageReader = ODataClient.ReaderFor(await HttpResponseODataMessage.FromAsync(response));
        var batch = await messageReader.CreateODataBatchReaderAsync();
        while (await batch.ReadAsync())
        {
            switch (batch.State)
            {
                case ODataBatchReaderState.ChangesetStart:
                    inChangeset = true;
                    break;
                case ODataBatchReaderState.ChangesetEnd:
                    inChangeset = false;
                    break;
                case ODataBatchReaderState.Operation:
                    var operation = await batch.CreateOperationResponseMessageAsync();
                    read.Add((operation.ContentId, operation.GroupId, operation.StatusCode, inChangeset));
                    break;
            }
        }

        Assert.Equal([("before", null, 200, false), ("first", "group", 201, true), ("second", "group", 201, true)], read);
    }

    private static IEdmModel ReadMetadata(ODataBatchOperationResponseMessage operation)
    {
        using var reader = ODataClient.ReaderFor(operation);
        return reader.ReadMetadataDocument();
    }

    /// <summary>
    /// An error answer: the reader refuses Graph's <c>innerError</c> spelling inside a batch as it does outside one
    /// (<see cref="ClientReaderTests"/>), and reads the error once it is spelled as OData spells it.
    /// </summary>
    private static async Task<ODataError> ReadGraphErrorAsync(HttpResponseODataMessage served)
    {
        using (var reader = ODataClient.ReaderFor(served))
        {
            var refusal = await Assert.ThrowsAsync<ODataException>(reader.ReadErrorAsync);
            Assert.Contains("'innerError'", refusal.Message, StringComparison.Ordinal);
        }

        var respelled = served.WithBody(Encoding.UTF8.GetBytes(served.BodyText.Replace("\"innerError\":", "\"innererror\":", StringComparison.Ordinal)));
        using var odataReader = ODataClient.ReaderFor(respelled);
        return await odataReader.ReadErrorAsync();
    }
}
