using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using GraphNotifications.Api.Errors;
using Microsoft.Net.Http.Headers;

namespace GraphNotifications.Api.Validation;

/// <summary>
/// A dynamic property annotated as <c>Edm.Int64</c> or <c>Edm.Decimal</c> (<c>"n@odata.type": "#Int64"</c>) may
/// come as a string when the body's Content-Type says <c>IEEE754Compatible=true</c> (OData JSON Format 4.01,
/// section 3.2): such a value is read as the number it holds, and stored as a number, as if sent as one.
/// </summary>
public static class DynamicNumbers
{
    /// <summary>The value to keep for <paramref name="name"/>: the number a string holds, or the value as sent.</summary>
    public static JsonNode? Read(JsonObject json, string name, JsonNode? value, bool ieee754Compatible, string target, List<GraphErrorDetail> problems)
    {
        if (!ieee754Compatible
            || value is not JsonValue text || text.GetValueKind() != JsonValueKind.String
            || AnnotatedType(json, name) is not { } type)
        {
            return value;
        }

        string sent = text.GetValue<string>();
        if (type == "Int64" && long.TryParse(sent, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long int64))
        {
            return JsonValue.Create(int64);
        }

        if (type == "Decimal" && decimal.TryParse(sent, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal number))
        {
            return JsonValue.Create(number);
        }

        problems.Add(new(GraphErrorCodes.InvalidValue, $"'{name}' is annotated as Edm.{type}, and '{Shorten(sent)}' is not one.", target));
        return value;
    }

    /// <summary>Whether a Content-Type says <c>IEEE754Compatible=true</c>.</summary>
    public static bool IsIeee754Compatible(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
        && mediaType.Parameters.Any(p => p.Name.Equals("IEEE754Compatible", StringComparison.OrdinalIgnoreCase)
            && HeaderUtilities.RemoveQuotes(p.Value).Equals("true", StringComparison.OrdinalIgnoreCase));

    private static string? AnnotatedType(JsonObject json, string name)
    {
        if (!json.TryGetPropertyValue(name + "@odata.type", out var annotation)
            || annotation is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            return null;
        }

        string type = value.GetValue<string>().TrimStart('#');
        type = type.StartsWith("Edm.", StringComparison.Ordinal) ? type[4..] : type;
        return type is "Int64" or "Decimal" ? type : null;
    }

    private static string Shorten(string text) => text.Length <= 50 ? text : text[..47] + "...";
}
