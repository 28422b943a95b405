using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace GraphNotifications.Api.Subscriptions.Delivery;

/// <summary>
/// POSTs a notification to a webhook with the webhooks client (<see cref="WebhookClient"/>: no redirects, the SSRF
/// check at connect). Any 2xx is delivered (Graph asks for 202); anything else, or no answer within the timeout, is a
/// failure, described for <c>lastDeliveryError</c> without the URL (its query may carry a secret).
/// </summary>
public sealed partial class WebhookPost(IHttpClientFactory clients, ILogger<WebhookPost> logger)
{
    /// <summary>Null when delivered, else why not.</summary>
    public async Task<string?> SendAsync(string url, JsonObject body, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            using var response = await clients.CreateClient(WebhookClient.Name).PostAsJsonAsync(url, body, timer.Token);
            return response.IsSuccessStatusCode
                ? null
                : $"The notification URL answered {(int)response.StatusCode} {response.ReasonPhrase}.";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"The notification URL did not answer within {timeout.TotalSeconds:0.###} seconds.";
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or InvalidOperationException or UriFormatException)
        {
            // As the handshake: not the socket error, which would tell a caller what an address does (an oracle).
            LogUnreachable(logger, ex.Message);
            return "The notification URL could not be reached.";
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A change notification could not be delivered: {Reason}")]
    private static partial void LogUnreachable(ILogger logger, string reason);
}
