using System.Text.Json;
using System.Text.RegularExpressions;

namespace GraphNotifications.Tests.Docs;

/// <summary>One request of a <c>.http</c> file, as written: unresolved <c>{{variables}}</c> and all.</summary>
public sealed record HttpFileRequest(string Title, string? Name, string Method, string Url, IReadOnlyList<KeyValuePair<string, string>> Headers, string? Body);

/// <summary>
/// The part of the <c>.http</c> format docs/requests.http uses (VS Code REST Client's, which Visual Studio shares):
/// requests separated by <c>###</c> lines, <c>@name = value</c> file variables, <c># @name</c> request names, and
/// <c>{{name.response.body.$.property}}</c> / <c>{{name.response.headers.Header}}</c> references to earlier answers.
/// </summary>
public sealed partial class HttpFile
{
    private readonly Dictionary<string, string> _variables = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HttpResponseMessage> _responses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _bodies = new(StringComparer.Ordinal);

    private HttpFile(IReadOnlyList<HttpFileRequest> requests) => Requests = requests;

    public IReadOnlyList<HttpFileRequest> Requests { get; }

    public static HttpFile Parse(string text)
    {
        var requests = new List<HttpFileRequest>();
        var fileVariables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string block in Separator().Split(text))
        {
            var lines = block.Split('\n').Select(line => line.TrimEnd('\r')).ToList();
            string title = lines.FirstOrDefault()?.Trim() ?? string.Empty;
            string? name = null;
            int i = 1;
            for (; i < lines.Count && !RequestLine().IsMatch(lines[i]); i++)
            {
                if (Variable().Match(lines[i]) is { Success: true } variable)
                {
                    fileVariables[variable.Groups["name"].Value] = variable.Groups["value"].Value.Trim();
                }
                else if (lines[i].StartsWith("# @name ", StringComparison.Ordinal))
                {
                    name = lines[i]["# @name ".Length..].Trim();
                }
            }

            if (i == lines.Count)
            {
                continue;
            }

            var requestLine = RequestLine().Match(lines[i++]);
            var headers = new List<KeyValuePair<string, string>>();
            for (; i < lines.Count && lines[i].Length > 0; i++)
            {
                int colon = lines[i].IndexOf(':', StringComparison.Ordinal);
                headers.Add(new(lines[i][..colon].Trim(), lines[i][(colon + 1)..].Trim()));
            }

            string body = string.Join('\n', lines.Skip(i)).Trim();
            requests.Add(new HttpFileRequest(title, name, requestLine.Groups["method"].Value, requestLine.Groups["url"].Value.Trim(), headers, body.Length == 0 ? null : body));
        }

        var file = new HttpFile(requests);
        foreach (var (key, value) in fileVariables)
        {
            file._variables[key] = value;
        }

        return file;
    }

    /// <summary>Overrides a file variable (the host, the tokens), as an editor's environment does.</summary>
    public void Set(string variable, string value) => _variables[variable] = value;

    public HttpRequestMessage ToMessage(HttpFileRequest request)
    {
        var message = new HttpRequestMessage(new HttpMethod(request.Method), Resolve(request.Url));
        if (request.Body is not null)
        {
            message.Content = new StringContent(Resolve(request.Body));
            message.Content.Headers.ContentType = null;
        }

        foreach (var (name, value) in request.Headers)
        {
            string resolved = Resolve(value);
            if (!message.Headers.TryAddWithoutValidation(name, resolved))
            {
                message.Content!.Headers.TryAddWithoutValidation(name, resolved);
            }
        }

        return message;
    }

    public async Task RememberAsync(HttpFileRequest request, HttpResponseMessage response)
    {
        if (request.Name is not null)
        {
            _responses[request.Name] = response;
            _bodies[request.Name] = await response.Content.ReadAsStringAsync();
        }
    }

    public string Resolve(string text) => Reference().Replace(text, match => Lookup(match.Groups["reference"].Value));

    private string Lookup(string reference)
    {
        if (ResponseReference().Match(reference) is { Success: true } answer)
        {
            string name = answer.Groups["name"].Value, path = answer.Groups["path"].Value;
            if (answer.Groups["part"].Value == "headers")
            {
                var response = _responses[name];
                return string.Join(", ", response.Headers.TryGetValues(path, out var values) ? values : response.Content.Headers.GetValues(path));
            }

            using var body = JsonDocument.Parse(_bodies[name]);
            // $.name, or $['@odata.deltaLink'] for a name JSONPath's dot notation cannot spell.
            string property = path.StartsWith("$['", StringComparison.Ordinal) && path.EndsWith("']", StringComparison.Ordinal)
                ? path[3..^2]
                : path.TrimStart('$', '.');
            return body.RootElement.GetProperty(property).ToString();
        }

        return _variables.TryGetValue(reference, out string? value)
            ? Resolve(value)
            : throw new KeyNotFoundException($"docs/requests.http uses {{{{{reference}}}}}, which it does not define.");
    }

    [GeneratedRegex(@"^###", RegexOptions.Multiline)]
    private static partial Regex Separator();

    [GeneratedRegex(@"^(?<method>GET|POST|PUT|PATCH|DELETE) (?<url>\S+)$")]
    private static partial Regex RequestLine();

    [GeneratedRegex(@"^@(?<name>\w+)\s*=\s*(?<value>.*)$")]
    private static partial Regex Variable();

    [GeneratedRegex(@"\{\{(?<reference>[^}]+)\}\}")]
    private static partial Regex Reference();

    [GeneratedRegex(@"^(?<name>\w+)\.response\.(?<part>body|headers)\.(?<path>.+)$")]
    private static partial Regex ResponseReference();
}
