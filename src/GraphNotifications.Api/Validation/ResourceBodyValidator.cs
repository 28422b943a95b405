using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GraphNotifications.Api.Contract;
using GraphNotifications.Api.Errors;
using Microsoft.OData.Edm;
using Microsoft.OData.Edm.Vocabularies;
using Microsoft.OData.Edm.Vocabularies.V1;
using Microsoft.OData.ModelBuilder;

namespace GraphNotifications.Api.Validation;

/// <summary>
/// Checks a JSON request body against a structured type of the contract and reports every problem at once, with
/// the property path of each. It also writes the body anew in the one form the OData reader is then given:
/// <c>@odata.type</c> fully qualified with <c>#</c> (clients send it with or without <c>#</c>, namespace- or
/// alias-qualified), enum members by their exact names, the read-only key and other annotations left out.
/// In <see cref="BodyMode.Update"/> (PATCH) nothing is required, complex values are partial too (they are merged
/// into the stored ones), a dynamic property may be null (it is removed), and the key may be sent only as it is.
/// </summary>
public sealed partial class ResourceBodyValidator(IEdmModel model)
{
    private const string TypeAnnotation = "@odata.type";

    /// <summary>The key of the entity an update addresses: a body may repeat it (a GET answer sent back), not change it.</summary>
    public string? ExpectedKey { get; init; }

    /// <summary>Whether the body's Content-Type says <c>IEEE754Compatible=true</c>: Int64 and Decimal may come as strings.</summary>
    public bool Ieee754Compatible { get; init; }

    public JsonObject Check(JsonObject body, IEdmStructuredType declaredType, BodyMode mode, List<GraphErrorDetail> problems) =>
        CheckObject(body, declaredType, path: null, mode, problems);

    private JsonObject CheckObject(JsonObject json, IEdmStructuredType declaredType, string? path, BodyMode mode, List<GraphErrorDetail> problems)
    {
        var output = new JsonObject();
        var type = ResolveType(json, declaredType, path, problems);
        output[TypeAnnotation] = "#" + ((IEdmSchemaType)type).FullName();

        foreach (var (name, value) in json)
        {
            if (name.Contains('@', StringComparison.Ordinal))
            {
                // Other annotations (@odata.etag, @odata.context of a GET answer sent back) carry nothing to apply.
                // A bind asks for a link to be made: dropping it would answer 201 for a link never made.
                if (IsBind(name))
                {
                    problems.Add(new(GraphErrorCodes.InvalidValue,
                        $"Binding with '{name}' is not supported: {((IEdmSchemaType)type).FullName()} has no navigation property to bind. "
                        + "To put a notification into a user's feed, create it there or link it with POST …/notifications/$ref.",
                        Join(path, name)));
                }

                continue;
            }

            string target = Join(path, name);
            var property = type.FindProperty(name);
            if (property is null)
            {
                CheckDynamicProperty(type, name, DynamicNumbers.Read(json, name, value, Ieee754Compatible, target, problems), target, mode, output, problems);
            }
            else if (property is IEdmNavigationProperty)
            {
                problems.Add(new(GraphErrorCodes.InvalidValue, $"The navigation property '{name}' cannot be set in this body.", target));
            }
            else if (type is IEdmEntityType entity && entity.Key().Contains(property))
            {
                if (value is not null && !IsExpectedKey(mode, value))
                {
                    string message = mode == BodyMode.Update
                        ? $"'{name}' is assigned by the service and cannot be changed; leave it out, or send it as it is."
                        : $"'{name}' is assigned by the service and cannot be set.";
                    problems.Add(new(GraphErrorCodes.ReadOnlyProperty, message, target));
                }
            }
            else if (IsComputed(property) && mode == BodyMode.Create)
            {
                problems.Add(new(GraphErrorCodes.ReadOnlyProperty, $"'{name}' is set by the service and cannot be written; leave it out.", target));
            }
            else if (CheckValue(property.Type, value, target, mode, problems) is var (ok, normalized) && ok)
            {
                output[name] = normalized;
            }
        }

        int dynamicCount = output.Count(p => type.FindProperty(p.Key) is null && !p.Key.StartsWith('@'));
        if (dynamicCount > PropertyLimits.MaxDynamicProperties)
        {
            problems.Add(new(GraphErrorCodes.InvalidValue,
                $"The body carries {dynamicCount} undeclared (dynamic) properties; at most {PropertyLimits.MaxDynamicProperties}.", path));
        }

        if (mode == BodyMode.Create)
        {
            foreach (var required in type.StructuralProperties().Where(p => !p.Type.IsNullable))
            {
                bool isKey = type is IEdmEntityType entity && entity.Key().Contains(required);
                if (!isKey && !json.ContainsKey(required.Name))
                {
                    problems.Add(new(GraphErrorCodes.MissingProperty, $"'{required.Name}' is required.", Join(path, required.Name)));
                }
            }
        }

        return output;
    }

    /// <summary>
    /// A property the contract marks <c>Core.Computed</c>: the service sets it. A create may not send it; an update
    /// may send it back as it is (a GET answer sent back), which the store checks against the stored value.
    /// </summary>
    private bool IsComputed(IEdmProperty property) =>
        model.FindVocabularyAnnotations<IEdmVocabularyAnnotation>(property, CoreVocabularyModel.ComputedTerm)
            .Any(a => a.Value is not IEdmBooleanConstantExpression { Value: false });

    /// <summary>OData's bind annotation, 4.0's <c>@odata.bind</c> or 4.01's short <c>@bind</c>, on any property.</summary>
    private static bool IsBind(string name) =>
        name.EndsWith("@odata.bind", StringComparison.Ordinal) || name.EndsWith("@bind", StringComparison.Ordinal);

    private IEdmStructuredType ResolveType(JsonObject json, IEdmStructuredType declaredType, string? path, List<GraphErrorDetail> problems)
    {
        if (!json.TryGetPropertyValue(TypeAnnotation, out var annotation) || annotation is null)
        {
            return declaredType;
        }

        string target = Join(path, TypeAnnotation);
        string declaredName = ((IEdmSchemaType)declaredType).FullName();
        if (annotation.GetValueKind() != JsonValueKind.String)
        {
            problems.Add(new(GraphErrorCodes.InvalidType, $"'{TypeAnnotation}' must be a string naming {declaredName}.", target));
            return declaredType;
        }

        string sent = annotation.GetValue<string>();
        string name = sent.StartsWith('#') ? sent[1..] : sent;
        if (name.StartsWith(CsdlContract.Alias + ".", StringComparison.Ordinal))
        {
            name = CsdlContract.Namespace + name[CsdlContract.Alias.Length..];
        }

        if (model.FindDeclaredType(name) is IEdmStructuredType named && !named.IsAbstract && named.IsOrInheritsFrom(declaredType))
        {
            return named;
        }

        problems.Add(new(GraphErrorCodes.InvalidType, $"'{TypeAnnotation}' is '{sent}', but this value must be of type {declaredName}.", target));
        return declaredType;
    }

    private (bool Ok, JsonNode? Value) CheckValue(IEdmTypeReference type, JsonNode? value, string target, BodyMode mode, List<GraphErrorDetail> problems)
    {
        if (value is null)
        {
            if (type.IsNullable)
            {
                return (true, null);
            }

            problems.Add(new(GraphErrorCodes.InvalidValue, $"'{target}' must not be null.", target));
            return (false, null);
        }

        if (type.IsCollection())
        {
            return CheckCollection(type.AsCollection().ElementType(), value, target, mode, problems);
        }

        if (type.IsStructured())
        {
            if (value is JsonObject inner)
            {
                // A complex value in an update is merged into the stored one, so it may be partial as well.
                return (true, CheckObject(inner, type.AsStructured().StructuredDefinition(), target, mode, problems));
            }

            return Invalid(problems, target, $"'{target}' must be an object of type {type.FullName()}.");
        }

        if (type.IsEnum())
        {
            var enumType = type.AsEnum().EnumDefinition();
            var member = value.GetValueKind() == JsonValueKind.String
                ? enumType.Members.FirstOrDefault(m => m.Name == value.GetValue<string>())
                : null;
            if (member is not null)
            {
                return (true, JsonValue.Create(member.Name));
            }

            string names = string.Join(", ", enumType.Members.Select(m => m.Name));
            return Invalid(problems, target, $"'{target}' is {Describe(value)}, which is not a member of {enumType.FullName()}; use one of {names}.");
        }

        return type.PrimitiveKind() switch
        {
            EdmPrimitiveTypeKind.String when value.GetValueKind() == JsonValueKind.String => (true, value.DeepClone()),
            EdmPrimitiveTypeKind.String => Invalid(problems, target, $"'{target}' must be a string."),
            EdmPrimitiveTypeKind.Int32 when value is JsonValue number && number.GetValueKind() == JsonValueKind.Number && number.TryGetValue<int>(out _) =>
                (true, value.DeepClone()),
            EdmPrimitiveTypeKind.Int32 => Invalid(problems, target, $"'{target}' is {Describe(value)}; it must be an integer from {int.MinValue} to {int.MaxValue} (Edm.Int32)."),
            EdmPrimitiveTypeKind.DateTimeOffset when value.GetValueKind() == JsonValueKind.String && ODataDateTime.TryParse(value.GetValue<string>(), out _) =>
                (true, value.DeepClone()),
            EdmPrimitiveTypeKind.DateTimeOffset => Invalid(problems, target,
                $"'{target}' is {Describe(value)}; it must be an ISO 8601 date-time with a time zone, such as 2030-01-01T00:00:00Z."),
            EdmPrimitiveTypeKind.Boolean when value.GetValueKind() is JsonValueKind.True or JsonValueKind.False => (true, value.DeepClone()),
            EdmPrimitiveTypeKind.Boolean => Invalid(problems, target, $"'{target}' must be true or false."),
            _ => Invalid(problems, target, $"'{target}' has the type {type.FullName()}, which this service cannot accept in a body."),
        };
    }

    private (bool Ok, JsonNode? Value) CheckCollection(IEdmTypeReference elementType, JsonNode value, string target, BodyMode mode, List<GraphErrorDetail> problems)
    {
        if (value is not JsonArray array)
        {
            return Invalid(problems, target, $"'{target}' must be an array of {elementType.FullName()}.");
        }

        var output = new JsonArray();
        bool ok = true;
        for (int i = 0; i < array.Count; i++)
        {
            var (elementOk, element) = CheckValue(elementType, array[i], $"{target}/{i}", mode, problems);
            ok &= elementOk;
            output.Add(element);
        }

        return (ok, output);
    }

    private void CheckDynamicProperty(IEdmStructuredType type, string name, JsonNode? value, string target, BodyMode mode, JsonObject output, List<GraphErrorDetail> problems)
    {
        string typeName = ((IEdmSchemaType)type).FullName();
        var similar = type.Properties().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
        if (!type.IsOpen || similar is not null)
        {
            string hint = similar is null ? string.Empty : $" Property names are case-sensitive: did you mean '{similar.Name}'?";
            problems.Add(new(GraphErrorCodes.UnknownProperty, $"{typeName} has no property '{name}'.{hint}", target));
            return;
        }

        if (!DynamicName().IsMatch(name))
        {
            problems.Add(new(GraphErrorCodes.InvalidValue,
                $"'{name}' is not a valid property name: use letters, digits and '_' (at most 128), starting with a letter or '_'.", target));
            return;
        }

        // The CLR type's own members that the contract does not show (the store's version, creation time and the
        // dynamic property bag) cannot be dynamic properties: an update could not tell them apart.
        if (model.GetAnnotationValue<ClrTypeAnnotation>(type)?.ClrType.GetProperty(name) is not null)
        {
            problems.Add(new(GraphErrorCodes.InvalidValue, $"'{name}' is reserved by the service and cannot be used as a property name.", target));
            return;
        }

        switch (value?.GetValueKind())
        {
            case null or JsonValueKind.Null when mode == BodyMode.Update:
                // In an update, null removes the dynamic property.
                output[name] = null;
                return;
            case null or JsonValueKind.Null:
                return;
            case JsonValueKind.String when value.GetValue<string>().Length > PropertyLimits.MaxDynamicString:
                problems.Add(PropertyLimits.TooLong(target, value.GetValue<string>().Length, PropertyLimits.MaxDynamicString));
                return;
            case JsonValueKind.Number when !IsFinite(value):
                problems.Add(new(GraphErrorCodes.InvalidValue,
                    $"'{name}' is {Describe(value)}, a number too large to keep: dynamic numbers must lie within ±{double.MaxValue.ToString(CultureInfo.InvariantCulture)}.", target));
                return;
            case JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                output[name] = value.DeepClone();
                return;
            default:
                problems.Add(new(GraphErrorCodes.InvalidValue,
                    $"'{name}' is not declared by {typeName}, so it is kept as a dynamic property, and those must be a string, a number or a boolean.", target));
                return;
        }
    }

    // JSON numbers have no range; the store keeps a dynamic number as a CLR number, and the largest is a Double.
    private static bool IsFinite(JsonNode number) =>
        double.TryParse(number.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value);

    private bool IsExpectedKey(BodyMode mode, JsonNode value) =>
        mode == BodyMode.Update && ExpectedKey is not null
        && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() == ExpectedKey;

    private static (bool, JsonNode?) Invalid(List<GraphErrorDetail> problems, string target, string message)
    {
        problems.Add(new(GraphErrorCodes.InvalidValue, message, target));
        return (false, null);
    }

    private static string Describe(JsonNode value)
    {
        string text = value.ToJsonString();
        return text.Length <= 64 ? text : text[..61] + "...";
    }

    private static string Join(string? path, string name) => path is null ? name : $"{path}/{name}";

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex DynamicName();
}
