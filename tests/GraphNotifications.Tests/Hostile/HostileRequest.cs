using System.Globalization;
using System.Text;

namespace GraphNotifications.Tests.Hostile;

/// <summary>Who sends a hostile request: a signed-in user of the case's app, the app itself, or nobody.</summary>
public enum Principal
{
    Delegated,
    AppOnly,
    Anonymous,
}

/// <summary>What the case's app has stored before the request is sent.</summary>
public enum Setup
{
    None,

    /// <summary>One notification of the app, linked to nobody (<c>{own}</c>).</summary>
    Own,

    /// <summary>One notification of the app in the case's user's feed (<c>{own}</c>).</summary>
    OwnInFeed,
}

/// <summary>
/// One request of the hostile-input suite, as a generator or an example writes it. The URL is relative to
/// <c>http://localhost/</c> and, like the body and the header values, may name the case's identities:
/// <c>{user}</c> (the case's user), <c>{own}</c> (the notification <see cref="Setup"/> made), <c>{foreign}</c> (another
/// app's notification in another user's feed). Each run gets fresh identities, so nothing a case stores can be
/// confused with another case's.
/// </summary>
/// <param name="Shared">
/// Read-only cases run against one seeded app and user instead of fresh ones (queries need rows to run over).
/// </param>
public sealed record HostileRequest(
    string Method,
    string Url,
    Principal As,
    byte[]? Body = null,
    IReadOnlyList<KeyValuePair<string, string>>? Headers = null,
    Setup Setup = Setup.None,
    bool Shared = false)
{
    public IReadOnlyList<KeyValuePair<string, string>> HeaderList => Headers ?? [];

    /// <summary>A JSON body as UTF-8 with <c>Content-Type: application/json</c>.</summary>
    public static HostileRequest Json(string method, string url, Principal principal, string body, Setup setup = Setup.None) =>
        new(method, url, principal, Encoding.UTF8.GetBytes(body), [new("Content-Type", "application/json")], setup);

    /// <summary>A body of raw bytes with <c>Content-Type: application/json</c>.</summary>
    public static HostileRequest Raw(string method, string url, Principal principal, byte[] body, Setup setup = Setup.None) =>
        new(method, url, principal, body, [new("Content-Type", "application/json")], setup);

    public HostileRequest WithHeader(string name, string value) => this with { Headers = [.. HeaderList, new(name, value)] };

    public override string ToString() => Print(this);

    /// <summary>The case as a failure report shows it: control and non-ASCII characters escaped, long parts cut.</summary>
    public static string Print(HostileRequest request)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{request.Method} {Escape(request.Url, 600)} as {request.As}");
        if (request.Setup != Setup.None)
        {
            text.Append(CultureInfo.InvariantCulture, $" after {request.Setup}");
        }

        if (request.Shared)
        {
            text.Append(" (seeded feed)");
        }

        foreach (var (name, value) in request.HeaderList)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  {name}: {Escape(value, 300)}");
        }

        if (request.Body is { } body)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  body ({body.Length} bytes): {Escape(body, 1500)}");
        }

        return text.ToString();
    }

    private static string Escape(string text, int max) => Escape(Encoding.UTF8.GetBytes(text), max);

    /// <summary>Printable ASCII as is; every other byte as <c>\xNN</c>; runs of one byte folded.</summary>
    private static string Escape(byte[] bytes, int max)
    {
        var text = new StringBuilder();
        for (int i = 0; i < bytes.Length && text.Length < max; i++)
        {
            int run = 1;
            while (i + run < bytes.Length && bytes[i + run] == bytes[i])
            {
                run++;
            }

            string one = bytes[i] is >= 0x20 and < 0x7F and not (byte)'\\' ? ((char)bytes[i]).ToString() : $"\\x{bytes[i]:X2}";
            if (run > 8)
            {
                text.Append(CultureInfo.InvariantCulture, $"{one}×{run}");
                i += run - 1;
            }
            else
            {
                text.Append(one);
            }
        }

        if (text.Length >= max)
        {
            text.Append("…");
        }

        return text.ToString();
    }
}
