using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GraphNotifications.Tests.Hostile;

/// <summary>
/// JSON as a hostile client writes it: a tree whose leaves and keys are raw bytes, so that it can hold what a JSON
/// library would never write (duplicate keys, <c>1e400</c>, <c>\ud800</c>, invalid UTF-8, raw control characters).
/// </summary>
public abstract class JsonPiece
{
    public abstract void WriteTo(Stream output);

    /// <summary>A copy that shares nothing mutable with this piece (generators hand out shared constants).</summary>
    public abstract JsonPiece Clone();

    public byte[] ToBytes()
    {
        using var output = new MemoryStream();
        WriteTo(output);
        return output.ToArray();
    }

    public override string ToString() => Encoding.UTF8.GetString(ToBytes());

    public static JsonPiece From(JsonNode? node) => node switch
    {
        JsonObject json => new JObject([.. json.Select(p => new JMember(JsonText.Key(p.Key), From(p.Value)))]),
        JsonArray array => new JArray([.. array.Select(From)]),
        null => JRaw.Null,
        _ => new JRaw(Encoding.UTF8.GetBytes(node.ToJsonString())),
    };
}

/// <summary>A leaf written exactly as its bytes: a number, a literal, a string token with its quotes, or anything.</summary>
public sealed class JRaw(byte[] bytes) : JsonPiece
{
    public static readonly JRaw Null = new("null"u8.ToArray());

    public JRaw(string text)
        : this(Encoding.UTF8.GetBytes(text))
    {
    }

    public byte[] Bytes { get; } = bytes;

    public bool IsString => Bytes.Length > 0 && Bytes[0] == (byte)'"';

    public override void WriteTo(Stream output) => output.Write(Bytes);

    public override JsonPiece Clone() => this;
}

/// <summary>A member of an object: the key's bytes go between the quotes as they are (escapes included).</summary>
public sealed class JMember(byte[] key, JsonPiece value)
{
    public byte[] Key { get; set; } = key;

    public JsonPiece Value { get; set; } = value;
}

public sealed class JObject(List<JMember> members) : JsonPiece
{
    public List<JMember> Members { get; } = members;

    public override void WriteTo(Stream output)
    {
        output.WriteByte((byte)'{');
        for (int i = 0; i < Members.Count; i++)
        {
            if (i > 0)
            {
                output.WriteByte((byte)',');
            }

            output.WriteByte((byte)'"');
            output.Write(Members[i].Key);
            output.Write("\":"u8);
            Members[i].Value.WriteTo(output);
        }

        output.WriteByte((byte)'}');
    }

    public override JsonPiece Clone() => new JObject([.. Members.Select(m => new JMember(m.Key, m.Value.Clone()))]);
}

public sealed class JArray(List<JsonPiece> items) : JsonPiece
{
    public List<JsonPiece> Items { get; } = items;

    public override void WriteTo(Stream output)
    {
        output.WriteByte((byte)'[');
        for (int i = 0; i < Items.Count; i++)
        {
            if (i > 0)
            {
                output.WriteByte((byte)',');
            }

            Items[i].WriteTo(output);
        }

        output.WriteByte((byte)']');
    }

    public override JsonPiece Clone() => new JArray([.. Items.Select(i => i.Clone())]);
}

/// <summary>Raw JSON text pieces.</summary>
public static class JsonText
{
    /// <summary>A key as JSON escapes it (without the quotes).</summary>
    public static byte[] Key(string name) => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(name)[1..^1]);

    /// <summary>A string token as JSON escapes it.</summary>
    public static JRaw String(string value) => new(JsonSerializer.Serialize(value));

    /// <summary>A string token whose content is written as given: escapes, raw bytes and all.</summary>
    public static JRaw RawString(byte[] content) => new([(byte)'"', .. content, (byte)'"']);

    public static JRaw RawString(string content) => RawString(Encoding.UTF8.GetBytes(content));
}

/// <summary>The ways a mutation changes a body.</summary>
public enum MutationKind
{
    /// <summary>Removes the member or item.</summary>
    Delete,

    /// <summary>Puts a hostile value in its place.</summary>
    Replace,

    /// <summary>Repeats the member (the same key twice), with its own value.</summary>
    Duplicate,

    /// <summary>Repeats the member's key with a hostile value.</summary>
    DuplicateKey,

    /// <summary>Gives the member a hostile key.</summary>
    RenameKey,

    /// <summary>Turns the value into one of another JSON type (a string into a number, an object into an array, …).</summary>
    FlipType,

    /// <summary>Adds a member with a hostile key and value to an object (or an item to an array).</summary>
    Insert,

    /// <summary>Wraps the value in arrays and objects, many levels deep.</summary>
    Nest,
}

/// <summary>
/// One change to a body. <see cref="Position"/> picks the member or item (in document order, modulo their number),
/// so a mutation is plain data that applies to any body and shrinks as numbers do.
/// </summary>
public sealed record Mutation(MutationKind Kind, int Position, JsonPiece Value, byte[] Key, int Depth)
{
    public override string ToString() => $"{Kind}@{Position} key '{Encoding.UTF8.GetString(Key)}' value {Value} depth {Depth}";

    public void ApplyTo(JObject root)
    {
        var slots = new List<(JsonPiece Parent, int Index)>();
        var containers = new List<JsonPiece> { root };
        Collect(root, slots, containers);

        if (Kind == MutationKind.Insert || slots.Count == 0)
        {
            switch (containers[Position % containers.Count])
            {
                case JObject json:
                    json.Members.Add(new JMember(Key, Value.Clone()));
                    break;
                case JArray array:
                    array.Items.Add(Value.Clone());
                    break;
            }

            return;
        }

        var (parent, index) = slots[Position % slots.Count];
        var member = parent is JObject o ? o.Members[index] : null;
        var items = (parent as JArray)?.Items;
        JsonPiece current = member?.Value ?? items![index];
        switch (Kind)
        {
            case MutationKind.Delete:
                if (member is not null)
                {
                    ((JObject)parent).Members.RemoveAt(index);
                }
                else
                {
                    items!.RemoveAt(index);
                }

                break;
            case MutationKind.Duplicate or MutationKind.DuplicateKey:
                var copy = Kind == MutationKind.Duplicate ? current.Clone() : Value.Clone();
                if (member is not null)
                {
                    var members = ((JObject)parent).Members;
                    members.Insert(Math.Min(index + 1 + (Depth % 2), members.Count), new JMember(member.Key, copy));
                }
                else
                {
                    items!.Insert(index, copy);
                }

                break;
            case MutationKind.RenameKey when member is not null:
                member.Key = Key;
                break;
            default:
                var replacement = Kind switch
                {
                    MutationKind.FlipType => Flip(current, Depth),
                    MutationKind.Nest => Wrap(current, Depth),
                    _ => Value.Clone(),
                };
                if (member is not null)
                {
                    member.Value = replacement;
                }
                else
                {
                    items![index] = replacement;
                }

                break;
        }
    }

    /// <summary>The <see cref="Position"/> of the member <paramref name="key"/> of the root object.</summary>
    public static int PositionOf(JObject root, string key)
    {
        var slots = new List<(JsonPiece Parent, int Index)>();
        Collect(root, slots, []);
        return slots.FindIndex(s => s.Parent == root && Encoding.UTF8.GetString(root.Members[s.Index].Key) == key);
    }

    private static void Collect(JsonPiece piece, List<(JsonPiece, int)> slots, List<JsonPiece> containers)
    {
        switch (piece)
        {
            case JObject json:
                for (int i = 0; i < json.Members.Count; i++)
                {
                    slots.Add((json, i));
                    if (json.Members[i].Value is JObject or JArray)
                    {
                        containers.Add(json.Members[i].Value);
                    }

                    Collect(json.Members[i].Value, slots, containers);
                }

                break;
            case JArray array:
                for (int i = 0; i < array.Items.Count; i++)
                {
                    slots.Add((array, i));
                    if (array.Items[i] is JObject or JArray)
                    {
                        containers.Add(array.Items[i]);
                    }

                    Collect(array.Items[i], slots, containers);
                }

                break;
        }
    }

    /// <summary>The value as another JSON type; <paramref name="choice"/> picks which.</summary>
    public static JsonPiece Flip(JsonPiece value, int choice)
    {
        switch (value)
        {
            case JObject json:
                return (choice % 3) switch
                {
                    0 => new JArray([.. json.Members.Select(m => m.Value.Clone())]),
                    1 => JsonText.String(json.ToString()),
                    _ => JRaw.Null,
                };
            case JArray array:
                return (choice % 3) switch
                {
                    0 => new JObject([.. array.Items.Select((item, i) => new JMember(JsonText.Key(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), item.Clone()))]),
                    1 => array.Items.Count > 0 ? array.Items[0].Clone() : new JRaw("0"),
                    _ => JsonText.String(array.ToString()),
                };
            case JRaw raw when raw.IsString:
                return (choice % 5) switch
                {
                    0 => new JRaw(raw.Bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    1 => new JRaw("true"),
                    2 => new JArray([raw]),
                    3 => new JObject([new JMember("value"u8.ToArray(), raw)]),
                    _ => JRaw.Null,
                };
            case JRaw raw:
                string text = Encoding.UTF8.GetString(raw.Bytes);
                return (choice % 4) switch
                {
                    0 => JsonText.String(text),
                    1 => new JArray([raw]),
                    2 => new JObject([]),
                    _ => text == "null" ? JsonText.String("") : JRaw.Null,
                };
            default:
                return JRaw.Null;
        }
    }

    /// <summary>The value inside <paramref name="depth"/> levels of arrays and objects, alternating.</summary>
    public static JsonPiece Wrap(JsonPiece value, int depth)
    {
        var bytes = new List<byte>();
        for (int i = 0; i < depth; i++)
        {
            bytes.AddRange(i % 2 == 0 ? "["u8.ToArray() : "{\"a\":"u8.ToArray());
        }

        bytes.AddRange(value.ToBytes());
        for (int i = depth - 1; i >= 0; i--)
        {
            bytes.Add(i % 2 == 0 ? (byte)']' : (byte)'}');
        }

        return new JRaw([.. bytes]);
    }
}
