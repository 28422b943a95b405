using System.Collections;
using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using GraphNotifications.Api.Storage.EntityConfigurations;
using Microsoft.OData.Edm;
using Microsoft.OData.ModelBuilder;

namespace GraphNotifications.Api.Validation;

/// <summary>
/// Makes the CLR resource out of a body <see cref="ResourceBodyValidator"/> has checked and written in canonical form,
/// following the contract's CLR bindings (Contract/ClrTypeBinding) as AspNetCoreOData's deserializer does. A create's
/// body is then parsed once: handing the canonical text to the OData reader again cost about a tenth of a POST's CPU.
/// Only canonical bodies come here, so what the validator refuses (unknown types, wrong kinds) is not checked again.
/// </summary>
public sealed class ValidatedResourceReader(IEdmModel model)
{
    private const string TypeAnnotation = "@odata.type";

    private static readonly ConcurrentDictionary<Type, Type> ListTypes = new();

    public object Read(JsonObject canonical, IEdmStructuredType declaredType)
    {
        var type = canonical[TypeAnnotation] is JsonValue annotation
            && model.FindDeclaredType(annotation.GetValue<string>().TrimStart('#')) is IEdmStructuredType named
                ? named
                : declaredType;
        var clrType = model.GetAnnotationValue<ClrTypeAnnotation>(type).ClrType;
        object resource = Activator.CreateInstance(clrType)
            ?? throw new InvalidOperationException($"{clrType.Name} cannot be created.");

        foreach (var (name, value) in canonical)
        {
            if (name.StartsWith('@'))
            {
                continue;
            }

            if (type.FindProperty(name) is { } property)
            {
                var clrProperty = model.GetAnnotationValue<ClrPropertyInfoAnnotation>(property).ClrPropertyInfo;
                clrProperty.SetValue(resource, Value(property.Type, value, clrProperty.PropertyType));
            }
            else if (value is not null)
            {
                var bag = model.GetAnnotationValue<DynamicPropertyDictionaryAnnotation>(type).PropertyInfo;
                var properties = (IDictionary<string, object>?)bag.GetValue(resource);
                if (properties is null)
                {
                    properties = new Dictionary<string, object>(StringComparer.Ordinal);
                    bag.SetValue(resource, properties);
                }

                properties[name] = DynamicValue(value);
            }
        }

        return resource;
    }

    private object? Value(IEdmTypeReference type, JsonNode? value, Type clrType)
    {
        if (value is null)
        {
            return null;
        }

        if (type.IsCollection())
        {
            var elementType = type.AsCollection().ElementType();
            var elementClrType = ElementType(clrType);
            var list = (IList)Activator.CreateInstance(ListTypes.GetOrAdd(elementClrType, t => typeof(List<>).MakeGenericType(t)))!;
            foreach (var element in value.AsArray())
            {
                list.Add(Value(elementType, element, elementClrType));
            }

            return list;
        }

        if (type.IsStructured())
        {
            return Read(value.AsObject(), type.AsStructured().StructuredDefinition());
        }

        if (type.IsEnum())
        {
            var enumType = type.AsEnum().EnumDefinition();
            string name = value.GetValue<string>();
            var member = enumType.Members.First(m => m.Name == name);
            return model.GetAnnotationValue<ClrEnumMemberAnnotation>(enumType).GetClrEnumMember(member);
        }

        return type.PrimitiveKind() switch
        {
            EdmPrimitiveTypeKind.String => value.GetValue<string>(),
            EdmPrimitiveTypeKind.Int32 => value.GetValue<int>(),
            EdmPrimitiveTypeKind.Boolean => value.GetValue<bool>(),
            EdmPrimitiveTypeKind.DateTimeOffset when ODataDateTime.TryParse(value.GetValue<string>(), out var instant) => instant,
            _ => throw new InvalidOperationException($"A canonical body cannot carry {type.FullName()} as '{value.ToJsonString()}'."),
        };
    }

    /// <summary>A dynamic primitive as the store keeps it: numbers in the narrowest CLR type that holds them.</summary>
    private static object DynamicValue(JsonNode value)
    {
        var element = value is JsonValue json && json.TryGetValue<JsonElement>(out var parsed)
            ? parsed
            : JsonSerializer.SerializeToElement(value);
        return DynamicPropertiesJson.ToClr(element)
            ?? throw new InvalidOperationException($"A canonical body cannot carry '{value.ToJsonString()}' as a dynamic property.");
    }

    private static Type ElementType(Type collectionType) =>
        collectionType.IsArray
            ? collectionType.GetElementType()!
            : collectionType.GetGenericArguments().SingleOrDefault()
                ?? throw new InvalidOperationException($"{collectionType.Name} is not a collection this reader can fill.");
}
