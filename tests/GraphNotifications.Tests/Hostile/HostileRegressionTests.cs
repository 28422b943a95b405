using System.Net;
using System.Net.Http.Headers;
using System.Text;
using GraphNotifications.Tests.Infrastructure;

namespace GraphNotifications.Tests.Hostile;

/// <summary>
/// One focused test for each fault the hostile-input suite found: each was a 500 (or a response Kestrel cannot
/// send), and each is now a Graph error that changes nothing, or a correct answer.
/// </summary>
public sealed class HostileRegressionTests(ServiceFactory service) : IClassFixture<ServiceFactory>
{
    private static async Task<int> FeedSizeAsync(HttpClient client) =>
        (await (await client.GetAsync("me/notifications")).ReadObjectAsync())["value"]!.AsArray().Count;

    /// <summary>A JSON body written with <c>&lt;XX&gt;</c> for a raw byte (to put invalid UTF-8 in it).</summary>
    private static ByteArrayContent RawJson(string text)
    {
        var bytes = new List<byte>();
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '<' && i + 3 < text.Length && text[i + 3] == '>')
            {
                bytes.Add(Convert.ToByte(text.Substring(i + 1, 2), 16));
                i += 3;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(text[i].ToString()));
            }
        }

        var content = new ByteArrayContent([.. bytes]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    // Found as: 500 from an InvalidOperationException where validation first read the string (System.Text.Json
    // checks UTF-8 and surrogates only when a string is read, not when the text is parsed).
    [Theory]
    [InlineData("me/notifications", """{"targetHostName":"\ud800","payload":{"rawContent":"r"}}""", "targetHostName")]
    [InlineData("me/notifications", """{"targetHostName":"x","payload":{"visualContent":{"title":"a\udc00b"}}}""", "payload/visualContent/title")]
    [InlineData("me/notifications", """{"targetHostName":"x<FF>y","payload":{"rawContent":"r"}}""", "targetHostName")]
    [InlineData("me/notifications", """{"targetHostName":"x","payload":{"rawContent":"r","<ED><A0><80>":1}}""", "payload")]
    [InlineData("me/notifications", """{"targetHostName":"x","payload":{"rawContent":"r"},"targetPolicy":{"platformTypes":["ok","<C0><AF>"]}}""", "targetPolicy/platformTypes/1")]
    [InlineData("me/notifications/$ref", """{"@odata.id":"notifications('\ud800')"}""", "@odata.id")]
    [InlineData("me/notifications/$ref", """{"@odata.id":"x<ED><A0><80>y"}""", "@odata.id")]
    public async Task Text_that_is_not_UTF_8_or_escapes_a_lone_surrogate_is_a_400_naming_where(string url, string body, string target)
    {
        var client = service.Delegated("regression-text", "regression-app");

        var response = await client.PostAsync(url, RawJson(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.ReadObjectAsync();
        Assert.Equal("badRequest", error.ErrorCode());
        Assert.Equal([target], error.ErrorTargets());
        Assert.Equal(0, await FeedSizeAsync(client));
    }
}
