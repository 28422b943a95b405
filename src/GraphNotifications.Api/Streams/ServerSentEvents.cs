using System.Text;

namespace GraphNotifications.Api.Streams;

/// <summary>
/// Text in the HTML standard's <c>text/event-stream</c> format, built up and then sent at once (and flushed, so no
/// event waits in a buffer). Every field value here is one line: JSON without line breaks, or a token.
/// </summary>
internal sealed class ServerSentEvents
{
    private readonly StringBuilder _text = new();

    public bool IsEmpty => _text.Length == 0;

    /// <summary>An event: its name (null: a plain message), its id (null: the client keeps its last one) and its data.</summary>
    public ServerSentEvents Event(string? name, string? id, string data)
    {
        if (name is not null)
        {
            _text.Append("event: ").Append(name).Append('\n');
        }

        if (id is not null)
        {
            _text.Append("id: ").Append(id).Append('\n');
        }

        _text.Append("data: ").Append(data).Append("\n\n");
        return this;
    }

    /// <summary>A comment line: clients ignore it, proxies see traffic.</summary>
    public ServerSentEvents Comment(string text)
    {
        _text.Append(": ").Append(text).Append("\n\n");
        return this;
    }

    /// <summary>Writes what was built to the response and flushes it.</summary>
    public async Task SendAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        if (_text.Length == 0)
        {
            return;
        }

        string text = _text.ToString();
        _text.Clear();
        await response.WriteAsync(text, Encoding.UTF8, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
