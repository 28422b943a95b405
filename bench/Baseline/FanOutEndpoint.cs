using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace GraphNotifications.Bench.Baseline;

/// <summary>
/// The ceiling of the fan-out scenario: <c>POST /notifications/{id}/microsoft.graph.addRecipients</c> with
/// <c>{"userIds": [...]}</c>, app-only, the same rules as the service (at most 10,000 ids, each 1 to 128 characters
/// without U+0000; a 4 MiB body) and the same rows: the writer inserts the links and their change-log entries with two
/// set-based statements over the list, in its group-commit transaction. 204.
/// </summary>
public static class FanOutEndpoint
{
    private const long MaxBodyBytes = 4 * 1024 * 1024;
    private const int MaxRecipients = 10_000;

    public static void MapFanOut(this RouteGroupBuilder group) =>
        group.MapPost("notifications/{notificationId}/microsoft.graph.addRecipients", AddRecipients);

    private static async Task AddRecipients(HttpContext context, string notificationId, NotificationWriter writer, TimeProvider clock)
    {
        if (Caller.Of(context)!.UserId is not null)
        {
            await GraphErrors.WriteAsync(context, StatusCodes.Status403Forbidden, "forbidden", "addRecipients is for app-only callers.");
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        List<string> users;
        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            if (!body.RootElement.TryGetProperty("userIds", out var ids) || ids.ValueKind != JsonValueKind.Array || ids.GetArrayLength() > MaxRecipients)
            {
                await GraphErrors.BadRequest(context, $"The body is {{\"userIds\": [...]}}, at most {MaxRecipients} ids.");
                return;
            }

            users = new List<string>(ids.GetArrayLength());
            foreach (var id in ids.EnumerateArray())
            {
                if (id.ValueKind != JsonValueKind.String || id.GetString() is not { Length: > 0 and <= 128 } user || user.Contains('\0', StringComparison.Ordinal))
                {
                    await GraphErrors.BadRequest(context, $"Not a user id: {id.GetRawText()}.");
                    return;
                }

                users.Add(user);
            }
        }
        catch (Exception ex) when (ex is JsonException or BadHttpRequestException)
        {
            await GraphErrors.BadRequest(context, $"The request body is not valid: {ex.Message}");
            return;
        }

        string list = JsonSerializer.Serialize(users.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(), BaselineJson.Relaxed.ListString);
        if (await writer.AddRecipientsAsync(notificationId, Caller.Of(context)!.AppId, list, clock.GetUtcNow().UtcTicks))
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        await GraphErrors.NotFound(context, notificationId);
    }
}
