using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Batch;

namespace GraphNotifications.Tests.Authorization;

/// <summary>
/// A row's request sent as the only request of a JSON <c>$batch</c> with the cell's token. The cell is judged by the
/// answer inside the batch's 200, or by the batch's own answer when the batch itself is refused (a spoiled token,
/// no permission), in which case nothing inside it ran.
/// </summary>
public static class MatrixBatch
{
    private const string CarriedId = "carried";

    /// <param name="row">The row of <paramref name="carried"/>, whose cells the batch must repeat.</param>
    /// <param name="ownToken">A token for the sub-request's own <c>Authorization</c> header, which the batch must ignore.</param>
    public static MatrixRequest Carrying(string row, MatrixRequest carried, Func<MatrixIdentities, string>? ownToken = null) =>
        new("POST", (_, _) => "$batch", carried.Effect, (ids, id) => Batch(carried, ids, id, ownToken?.Invoke(ids)))
        {
            OnMe = carried.OnMe,
            Carries = row,
            Read = ReadCarriedAsync,
        };

    private static JsonObject Batch(MatrixRequest carried, MatrixIdentities ids, string notificationId, string? ownToken)
    {
        var headers = new JsonObject();
        if (ownToken is not null)
        {
            headers["Authorization"] = $"Bearer {ownToken}";
        }

        var request = BatchRequests.Request(CarriedId, carried.Method, "/" + carried.Url(ids, notificationId),
            carried.Body?.Invoke(ids, notificationId), headers: headers);
        return new JsonObject { ["requests"] = new JsonArray(request) };
    }

    private static async Task<MatrixAnswer> ReadCarriedAsync(HttpResponseMessage response)
    {
        var batch = await MatrixAnswer.FromResponseAsync(response);
        if (batch.Status != (int)HttpStatusCode.OK)
        {
            return batch;
        }

        var answer = Assert.Single(JsonNode.Parse(batch.Body)!["responses"]!.AsArray())!.AsObject();
        Assert.Equal(CarriedId, answer["id"]!.GetValue<string>());
        var headers = (answer["headers"]?.AsObject() ?? [])
            .ToDictionary(h => h.Key, h => h.Value!.GetValue<string>(), StringComparer.OrdinalIgnoreCase);
        // A JSON body is JSON in the batch; a text body ($count) a string.
        string body = answer["body"] switch
        {
            null => string.Empty,
            JsonValue text when text.GetValueKind() == JsonValueKind.String => text.GetValue<string>(),
            var json => json.ToJsonString(),
        };
        return new MatrixAnswer(answer["status"]!.GetValue<int>(), headers, body);
    }
}
