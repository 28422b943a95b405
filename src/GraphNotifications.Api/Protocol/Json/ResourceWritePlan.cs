using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Microsoft.OData.ModelBuilder;
using Microsoft.OData.Edm;

namespace GraphNotifications.Api.Protocol.Json;

/// <summary>
/// How the resources of one structured type of the contract are written as OData JSON with minimal metadata, read
/// once from the EDM model and its CLR bindings (<see cref="Contract.ClrTypeBinding"/>): the type annotation Graph
/// writes on every resource, then the primitive, enum and primitive-collection properties in declaration order, the
/// dynamic properties in stored order, and the complex properties, each a nested plan. That is the shape
/// AspNetCoreOData's resource serializer gives these types; <c>ResourceWritePlanTests</c> compares the two byte for
/// byte. A value the plan has no exact rule for makes <see cref="CanWrite"/> false, and the framework writes the answer.
/// </summary>
internal sealed class ResourceWritePlan
{
    private readonly JsonEncodedText _type;
    private readonly PropertyPlan[] _simple;
    private readonly PropertyPlan[] _complex;
    private readonly PropertyInfo? _dynamic;

    private ResourceWritePlan(JsonEncodedText type, PropertyPlan[] simple, PropertyPlan[] complex, PropertyInfo? dynamic)
    {
        _type = type;
        _simple = simple;
        _complex = complex;
        _dynamic = dynamic;
    }

    /// <summary>The plan of <paramref name="type"/>, or null when it has a property of a kind the plan does not write.</summary>
    public static ResourceWritePlan? For(IEdmModel model, IEdmStructuredType type)
    {
        var simple = new List<PropertyPlan>();
        var complex = new List<PropertyPlan>();
        foreach (var property in type.StructuralProperties())
        {
            var clr = model.GetAnnotationValue<ClrPropertyInfoAnnotation>(property)?.ClrPropertyInfo;
            if (clr is null)
            {
                return null;
            }

            var propertyType = property.Type;
            if (propertyType.IsComplex())
            {
                if (For(model, propertyType.AsComplex().ComplexDefinition()) is not { } nested)
                {
                    return null;
                }

                complex.Add(new PropertyPlan(JsonEncodedText.Encode(property.Name), clr, ValueKind.Complex, nested, null));
                continue;
            }

            var kind = KindOf(propertyType);
            if (kind is null)
            {
                return null;
            }

            var members = kind == ValueKind.Enum ? EnumMembers(model, propertyType.AsEnum().EnumDefinition()) : null;
            if (kind == ValueKind.Enum && members is null)
            {
                return null;
            }

            simple.Add(new PropertyPlan(JsonEncodedText.Encode(property.Name), clr, kind.Value, null, members));
        }

        var dynamic = type.IsOpen ? model.GetAnnotationValue<DynamicPropertyDictionaryAnnotation>(type)?.PropertyInfo : null;
        if (type.IsOpen && dynamic is null)
        {
            return null;
        }

        string typeName = ((IEdmSchemaType)type).FullName();
        return new ResourceWritePlan(JsonEncodedText.Encode("#" + typeName), [.. simple], [.. complex], dynamic);
    }

    /// <summary>Whether every value of <paramref name="resource"/> has an exact rule here.</summary>
    public bool CanWrite(object resource)
    {
        foreach (var property in _simple)
        {
            if (property.Kind == ValueKind.DateTimeOffset && property.Clr.GetValue(resource) is DateTimeOffset { Offset.Ticks: not 0 })
            {
                return false;
            }
        }

        foreach (var property in _complex)
        {
            if (property.Clr.GetValue(resource) is { } value && !property.Nested!.CanWrite(value))
            {
                return false;
            }
        }

        return _dynamic?.GetValue(resource) is not IDictionary<string, object> dynamic || dynamic.All(IsPlainDynamic);
    }

    /// <summary>Writes the resource's properties (the object's braces and its leading annotations are the caller's).</summary>
    public void WriteProperties(Utf8JsonWriter writer, object resource)
    {
        foreach (var property in _simple)
        {
            writer.WritePropertyName(property.Name);
            WriteValue(writer, property, property.Clr.GetValue(resource));
        }

        if (_dynamic?.GetValue(resource) is IDictionary<string, object> dynamic)
        {
            foreach (var (name, value) in dynamic)
            {
                // CanWrite admitted only strings, integers and booleans here.
                writer.WritePropertyName(name);
                WriteValue(writer, null, value);
            }
        }

        foreach (var property in _complex)
        {
            writer.WritePropertyName(property.Name);
            if (property.Clr.GetValue(resource) is { } value)
            {
                property.Nested!.WriteObject(writer, value);
            }
            else
            {
                writer.WriteNullValue();
            }
        }
    }

    /// <summary>The type annotation; for an entity the caller writes its id, etag and edit link after it.</summary>
    public void WriteTypeAnnotation(Utf8JsonWriter writer) => writer.WriteString(ODataAnnotations.Type, _type);

    private void WriteObject(Utf8JsonWriter writer, object value)
    {
        writer.WriteStartObject();
        WriteTypeAnnotation(writer);
        WriteProperties(writer, value);
        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, PropertyPlan? property, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case int number:
                writer.WriteNumberValue(number);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case DateTimeOffset moment:
                // OData's form of a UTC instant: seconds' fraction without trailing zeros, and Z.
                writer.WriteStringValue(moment.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
                break;
            case Enum member:
                writer.WriteStringValue(property!.Members![member]);
                break;
            case IEnumerable<string> texts:
                writer.WriteStartArray();
                foreach (string text in texts)
                {
                    writer.WriteStringValue(text);
                }

                writer.WriteEndArray();
                break;
            default:
                throw new InvalidOperationException($"No write rule for a {value.GetType().Name} value.");
        }
    }

    // What the framework writes without a type annotation, and names that need no escaping either way.
    private static bool IsPlainDynamic(KeyValuePair<string, object> property) =>
        property.Value is string or int or bool && property.Key.All(char.IsAsciiLetterOrDigit);

    private static ValueKind? KindOf(IEdmTypeReference type) => type switch
    {
        _ when type.IsString() => ValueKind.Primitive,
        _ when type.IsInt32() => ValueKind.Primitive,
        _ when type.IsBoolean() => ValueKind.Primitive,
        _ when type.IsDateTimeOffset() => ValueKind.DateTimeOffset,
        _ when type.IsEnum() => ValueKind.Enum,
        _ when type.IsCollection() && type.AsCollection().ElementType().IsString() => ValueKind.Primitive,
        _ => null,
    };

    private static Dictionary<Enum, JsonEncodedText>? EnumMembers(IEdmModel model, IEdmEnumType type)
    {
        if (type.IsFlags || model.GetAnnotationValue<ClrTypeAnnotation>(type)?.ClrType is not { } clrType)
        {
            return null;
        }

        var members = new Dictionary<Enum, JsonEncodedText>();
        foreach (Enum value in Enum.GetValues(clrType))
        {
            var member = type.Members.FirstOrDefault(m => m.Value.Value == Convert.ToInt64(value, CultureInfo.InvariantCulture));
            if (member is null)
            {
                return null;
            }

            members[value] = JsonEncodedText.Encode(member.Name);
        }

        return members;
    }

    private enum ValueKind
    {
        Primitive,
        DateTimeOffset,
        Enum,
        Complex,
    }

    private sealed record PropertyPlan(JsonEncodedText Name, PropertyInfo Clr, ValueKind Kind, ResourceWritePlan? Nested, Dictionary<Enum, JsonEncodedText>? Members);
}
