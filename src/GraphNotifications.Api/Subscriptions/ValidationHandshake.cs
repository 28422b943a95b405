using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using GraphNotifications.Api.Storage.Subscriptions;
using Microsoft.Extensions.Options;

namespace GraphNotifications.Api.Subscriptions;

/// <summary>
/// Graph's validation of a notification endpoint: POST <c>{url}?validationToken={token}</c> (an empty text/plain
/// body); the endpoint proves it wants the notifications by answering 200 with the token, as text, within the
/// timeout. Without it anyone could point an app's subscription at a third party's URL.
/// </summary>
public sealed partial class ValidationHandshake(IHttpClientFactory clients, IOptions<SubscriptionOptions> options, ILogger<ValidationHandshake> logger)
{
    /// <summary>The longest answer read: a token is a few dozen characters; the rest of a larger answer is not waited for.</summary>
    private const int MaxAnswerBytes = 4096;

    /// <summary>Why the endpoint failed the handshake (a sentence naming <paramref name="property"/>), or null when it passed.</summary>
    public async Task<string?> WhyFailedAsync(string property, string url, CancellationToken cancellationToken)
    {
        string token = "Validation: " + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var target = new UriBuilder(url);
        string query = "validationToken=" + Uri.EscapeDataString(token);
        target.Query = string.IsNullOrEmpty(target.Query) ? query : target.Query.TrimStart('?') + "&" + query;
        var timeout = options.Value.ValidationTimeout;

        using var request = new HttpRequestMessage(HttpMethod.Post, target.Uri) { Content = new StringContent(string.Empty, Encoding.UTF8, "text/plain") };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/plain"));
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            using var response = await clients.CreateClient(WebhookClient.Name)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timer.Token);
            if (response.StatusCode != System.Net.HttpStatusCode.OK)
            {
                return $"The validation request to '{property}' was answered {(int)response.StatusCode}, not 200 with the validation token.";
            }

            string answer = await ReadTextAsync(response.Content, timer.Token);
            return answer == token
                ? null
                : $"The validation request to '{property}' was answered 200, but its body was not the validation token (decoded from the query string, as text/plain).";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"The validation request to '{property}' was not answered within {timeout.TotalSeconds:0.###} seconds.";
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or ArgumentException)
        {
            LogUnreachable(logger, target.Uri.GetLeftPart(UriPartial.Path), ex.Message);
            return $"The validation request to '{property}' failed: the endpoint could not be reached.";
        }
    }

    private static async Task<string> ReadTextAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxAnswerBytes];
        int total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
        }

        var charset = content.Headers.ContentType?.CharSet;
        var encoding = charset is null ? Encoding.UTF8 : SafeEncoding(charset);
        return encoding.GetString(buffer, 0, total);
    }

    private static Encoding SafeEncoding(string charset)
    {
        try
        {
            return Encoding.GetEncoding(charset.Trim('"'));
        }
        catch (ArgumentException)
        {
            return Encoding.UTF8;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Validation request to {Url} failed: {Reason}")]
    private static partial void LogUnreachable(ILogger logger, string url, string reason);
}
