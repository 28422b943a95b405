using System.Net;
using System.Text.RegularExpressions;
using GraphNotifications.Api.Inbox;
using GraphNotifications.Tests.Infrastructure;

namespace GraphNotifications.Tests.Inbox;

/// <summary>
/// How the service serves the inbox page (in process; the page itself is tested in a browser by
/// <see cref="InboxBrowserTests"/>): without a token, under a strict Content-Security-Policy, revalidated as a browser
/// does, and written so that an app's text can only ever be text.
/// </summary>
public sealed partial class InboxPageTests(ServiceFactory service) : IClassFixture<ServiceFactory>
{
    [Fact]
    public async Task The_page_is_served_without_a_token_under_a_policy_of_its_own_origin_only()
    {
        var response = await service.ClientWith(null).GetAsync("/inbox/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        string policy = string.Join(", ", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(InboxEndpoints.ContentSecurityPolicy, policy);
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self';", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", policy, StringComparison.Ordinal);
        Assert.Contains("<title>Notifications</title>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_slash_it_redirects_and_an_unknown_file_is_a_404()
    {
        var client = service.CreateClient(new() { AllowAutoRedirect = false });

        var bare = await client.GetAsync("/inbox");
        var unknown = await client.GetAsync("/inbox/nothing-here.js");

        Assert.Equal(HttpStatusCode.MovedPermanently, bare.StatusCode);
        Assert.Equal("/inbox/", bare.Headers.Location?.AbsolutePath);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_browser_revalidating_a_file_gets_a_304_not_the_APIs_refusal_of_If_Modified_Since()
    {
        var client = service.ClientWith(null);
        var first = await client.GetAsync("/inbox/inbox.js");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("no-cache", first.Headers.CacheControl?.ToString());

        using var byDate = new HttpRequestMessage(HttpMethod.Get, "/inbox/inbox.js");
        byDate.Headers.IfModifiedSince = first.Content.Headers.LastModified;
        byDate.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        var again = await client.SendAsync(byDate);

        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
    }

    [Fact]
    public async Task No_file_of_the_page_has_inline_script_or_style_or_writes_markup_from_text()
    {
        var client = service.ClientWith(null);
        string html = await client.GetStringAsync("/inbox/");
        Assert.DoesNotMatch(InlineScript(), html);
        Assert.DoesNotMatch(InlineStyle(), html);
        Assert.DoesNotMatch(EventAttribute(), html);

        // Every module the page loads, following its imports.
        var pending = new Queue<string>(ScriptSource().Matches(html).Select(m => m.Groups[1].Value));
        var read = new HashSet<string>(StringComparer.Ordinal);
        while (pending.TryDequeue(out string? module))
        {
            if (!read.Add(module))
            {
                continue;
            }

            var response = await client.GetAsync($"/inbox/{module}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
            string code = await response.Content.ReadAsStringAsync();
            Assert.DoesNotMatch(MarkupSink(), code);
            foreach (Match import in Import().Matches(code))
            {
                pending.Enqueue(import.Groups[1].Value);
            }
        }

        Assert.Contains("inbox.js", read);
        Assert.Contains("stream.js", read);
        Assert.Contains("item.js", read);
    }

    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex(@"<style|\sstyle=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineStyle();

    [GeneratedRegex(@"\son[a-z]+=", RegexOptions.IgnoreCase)]
    private static partial Regex EventAttribute();

    [GeneratedRegex(@"<script[^>]*\bsrc=""([^""]+)""", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptSource();

    [GeneratedRegex(@"from '\./([^']+)'")]
    private static partial Regex Import();

    [GeneratedRegex(@"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function\(")]
    private static partial Regex MarkupSink();
}
