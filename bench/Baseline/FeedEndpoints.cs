using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace GraphNotifications.Bench.Baseline;

/// <summary>
/// The benchmarked requests: create into <c>/me/notifications</c>, a page of it with <c>$top</c>, and an app's
/// <c>$ref</c> link and dismiss on <c>/users/{id}/notifications</c>. Both versions, <c>/v1.0</c> and <c>/beta</c>.
/// </summary>
public static class FeedEndpoints
{
    private const string ODataJson = "application/json; odata.metadata=minimal; odata.streaming=true; charset=utf-8";
    private const long MaxBodyBytes = 64 * 1024;

    public static void MapFeedEndpoints(this WebApplication app)
    {
        foreach (string version in new[] { "v1.0", "beta" })
        {
            var group = app.MapGroup(version).RequireAuthorization(Caller.Policy);
            group.MapPost("me/notifications", Create);
            group.MapGet("me/notifications", Page);
            group.MapPost("users/{userId}/notifications/$ref", Link);
            group.MapDelete("users/{userId}/notifications/{notificationId}/$ref", Dismiss);
            group.MapFanOut();
        }
    }

    private static async Task Create(HttpContext context, NotificationWriter writer, TimeProvider clock)
    {
        var caller = Caller.Of(context)!;
        if (caller.UserId is not { } userId)
        {
            await GraphErrors.BadRequest(context, "/me is the signed-in user; an app-only token names none. Use /users/{id}/notifications.");
            return;
        }

        var (body, refused) = await ReadAsync(context, BaselineJson.Relaxed.NotificationIn);
        if (refused || body is null)
        {
            if (!refused)
            {
                await GraphErrors.BadRequest(context, "The request body must be a notification as a JSON object.");
            }

            return;
        }

        var now = clock.GetUtcNow();
        var problems = new List<Problem>();
        if (Rules.Check(body, now, problems) is not { } notification)
        {
            await GraphErrors.InvalidBody(context, problems);
            return;
        }

        // In creation order, as the service assigns them (its index pages fill at their ends).
        string id = Guid.CreateVersion7(now).ToString();
        long expiresAt = (notification.Expires ?? now + Rules.MaximumLifetime).UtcTicks;
        await writer.CreateAsync(id, notification, caller.AppId, userId, now.UtcTicks, expiresAt);

        string root = ServiceRoot(context);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status201Created;
        response.Headers.Location = $"{root}notifications('{id}')";
        response.Headers.ETag = NotificationJson.ETag(1);
        await response.WriteAsJsonAsync(new NotificationOut
        {
            ODataContext = $"{root}$metadata#notifications/$entity",
            ETag = NotificationJson.ETag(1),
            Id = id,
            DisplayTimeToLive = notification.DisplayTimeToLive,
            ExpirationDateTime = NotificationJson.Instant(expiresAt),
            GroupName = notification.GroupName,
            Priority = body.Priority,
            TargetHostName = notification.TargetHostName,
            Payload = new PayloadOut
            {
                RawContent = notification.RawContent,
                VisualContent = body.Payload!.VisualContent is null ? null : new VisualOut { Title = notification.Title, Body = notification.Body },
            },
            TargetPolicy = body.TargetPolicy is null ? null : new TargetPolicyOut { PlatformTypes = notification.PlatformTypes },
            Dynamic = notification.Dynamic,
        }, BaselineJson.Relaxed.NotificationOut, ODataJson, context.RequestAborted);
    }

    private static async Task Page(HttpContext context, FeedDatabase database, TimeProvider clock)
    {
        var caller = Caller.Of(context)!;
        if (caller.UserId is not { } userId)
        {
            await GraphErrors.BadRequest(context, "/me is the signed-in user; an app-only token names none. Use /users/{id}/notifications.");
            return;
        }

        int top = 100;
        foreach (var (name, value) in context.Request.Query)
        {
            if (name != "$top" || value.Count != 1 || !int.TryParse(value[0], NumberStyles.None, CultureInfo.InvariantCulture, out top) || top is < 0 or > 999)
            {
                await GraphErrors.BadRequest(context, "The baseline answers $top (0 to 999) and no other query option.");
                return;
            }
        }

        var rows = database.Page(userId, caller.AppId, clock.GetUtcNow().UtcTicks, top);
        var items = new List<NotificationOut>(rows.Count);
        foreach (var row in rows)
        {
            items.Add(NotificationJson.From(row, context: null));
        }

        await context.Response.WriteAsJsonAsync(new PageOut { ODataContext = $"{ServiceRoot(context)}$metadata#notifications", Value = items },
            BaselineJson.Relaxed.PageOut, ODataJson, context.RequestAborted);
    }

    private static async Task Link(HttpContext context, string userId, NotificationWriter writer, TimeProvider clock)
    {
        if (await OwnerOf(context, userId) is not { } caller)
        {
            return;
        }

        var (reference, refused) = await ReadAsync(context, BaselineJson.Relaxed.ReferenceIn);
        if (refused)
        {
            return;
        }

        if (reference?.ODataId is not { } url || NotificationIdFrom(context, url) is not { } id)
        {
            await GraphErrors.BadRequest(context, "A $ref body links an existing notification: {\"@odata.id\": \"<its URL>\"}, such as …/notifications('{id}').");
            return;
        }

        if (await writer.LinkAsync(id, caller.AppId, userId, clock.GetUtcNow().UtcTicks))
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        await GraphErrors.NotFound(context, id);
    }

    private static async Task Dismiss(HttpContext context, string userId, string notificationId, NotificationWriter writer, TimeProvider clock)
    {
        if (await OwnerOf(context, userId) is not { } caller)
        {
            return;
        }

        if (await writer.UnlinkAsync(notificationId, caller.AppId, userId, clock.GetUtcNow().UtcTicks))
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        await GraphErrors.NotFound(context, notificationId);
    }

    /// <summary>An app acts on any user's feed. (The service also lets a user act on its own; the bench does not ask the baseline to.)</summary>
    private static async Task<Caller?> OwnerOf(HttpContext context, string userId)
    {
        var caller = Caller.Of(context)!;
        if (caller.UserId is null)
        {
            return caller;
        }

        await GraphErrors.WriteAsync(context, StatusCodes.Status403Forbidden, "forbidden", $"The baseline links into /users/{userId} for app-only callers only.");
        return null;
    }

    /// <summary>A JSON body, within the service's size limit, decompressed as <c>Content-Encoding</c> says; the error is written when it is refused.</summary>
    private static async Task<(T? Value, bool Refused)> ReadAsync<T>(HttpContext context, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        var request = context.Request;
        if (!request.HasJsonContentType())
        {
            await GraphErrors.WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, "unsupportedMediaType", "The request body must be JSON.");
            return (default, true);
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            await GraphErrors.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "payloadTooLarge", $"The request body is larger than {MaxBodyBytes} bytes.");
            return (default, true);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        Stream body = request.Headers.ContentEncoding.ToString() switch
        {
            "" => request.Body,
            "gzip" => new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true),
            "deflate" => new ZLibStream(request.Body, CompressionMode.Decompress, leaveOpen: true),
            _ => Stream.Null,
        };
        if (body == Stream.Null)
        {
            await GraphErrors.WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, "unsupportedMediaType", "Content-Encoding must be gzip or deflate.");
            return (default, true);
        }

        try
        {
            return (await JsonSerializer.DeserializeAsync(body, type, context.RequestAborted), false);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or BadHttpRequestException)
        {
            await GraphErrors.BadRequest(context, $"The request body is not a valid notification: {ex.Message}");
            return (default, true);
        }
        finally
        {
            if (body != request.Body)
            {
                await body.DisposeAsync();
            }
        }
    }

    private static string ServiceRoot(HttpContext context)
    {
        var request = context.Request;
        string version = request.Path.StartsWithSegments("/beta") ? "beta" : "v1.0";
        return $"{request.Scheme}://{request.Host}{request.PathBase}/{version}/";
    }

    /// <summary><c>notifications('{id}')</c>, relative to the service root or absolute under either version.</summary>
    private static string? NotificationIdFrom(HttpContext context, string url)
    {
        var request = context.Request;
        string host = $"{request.Scheme}://{request.Host}{request.PathBase}/";
        string path = url;
        if (url.StartsWith(host, StringComparison.OrdinalIgnoreCase))
        {
            path = url[host.Length..];
            int slash = path.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0 || path[..slash] is not ("v1.0" or "beta"))
            {
                return null;
            }

            path = path[(slash + 1)..];
        }

        const string Prefix = "notifications('";
        return path.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && path.EndsWith("')", StringComparison.Ordinal) && path.Length > Prefix.Length + 2
            ? Uri.UnescapeDataString(path[Prefix.Length..^2]).Replace("''", "'", StringComparison.Ordinal)
            : null;
    }
}
