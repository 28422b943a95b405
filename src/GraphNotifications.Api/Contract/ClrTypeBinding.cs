using System.Reflection;
using GraphNotifications.Api.Resources;
using Microsoft.OData.Edm;
using Microsoft.OData.ModelBuilder;

namespace GraphNotifications.Api.Contract;

/// <summary>
/// Binds the contract's types to the CLR types that carry them, with the annotations AspNetCoreOData's type mapper,
/// serializers and deserializers read. Every EDM type, property and enum member must have a CLR counterpart; the
/// first one that does not stops start-up, named.
/// </summary>
internal static class ClrTypeBinding
{
    private static readonly Dictionary<string, Type> ClrTypes = new(StringComparer.Ordinal)
    {
        [$"{CsdlContract.Namespace}.entity"] = typeof(Entity),
        [$"{CsdlContract.Namespace}.notification"] = typeof(Notification),
        [$"{CsdlContract.Namespace}.user"] = typeof(User),
        [$"{CsdlContract.Namespace}.subscription"] = typeof(Subscription),
        [$"{CsdlContract.Namespace}.pushEndpoint"] = typeof(PushEndpoint),
        [$"{CsdlContract.Namespace}.pushEndpointKeys"] = typeof(PushEndpointKeys),
        [$"{CsdlContract.Namespace}.payloadTypes"] = typeof(PayloadTypes),
        [$"{CsdlContract.Namespace}.visualProperties"] = typeof(VisualProperties),
        [$"{CsdlContract.Namespace}.targetPolicyEndpoints"] = typeof(TargetPolicyEndpoints),
        [$"{CsdlContract.Namespace}.priority"] = typeof(Priority),
        [$"{CsdlContract.Namespace}.notificationReadState"] = typeof(NotificationReadState),
        [$"{CsdlContract.Namespace}.notificationUserActionState"] = typeof(NotificationUserActionState),
    };

    public static void Bind(IEdmModel model)
    {
        foreach (var schemaType in model.SchemaElements.OfType<IEdmSchemaType>())
        {
            if (!ClrTypes.TryGetValue(schemaType.FullName(), out var clrType))
            {
                throw new InvalidOperationException($"The EDM type '{schemaType.FullName()}' has no CLR type bound to it.");
            }

            model.SetAnnotationValue(schemaType, new ClrTypeAnnotation(clrType));
            switch (schemaType)
            {
                case IEdmStructuredType structured:
                    BindProperties(model, structured, clrType);
                    break;
                case IEdmEnumType enumType:
                    BindMembers(model, enumType, clrType);
                    break;
            }
        }
    }

    private static void BindProperties(IEdmModel model, IEdmStructuredType edmType, Type clrType)
    {
        foreach (var property in edmType.DeclaredProperties)
        {
            var clrProperty = clrType.GetProperty(property.Name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)
                ?? throw new InvalidOperationException(
                    $"The EDM property '{((IEdmSchemaType)edmType).FullName()}/{property.Name}' has no CLR property on {clrType.Name}.");
            model.SetAnnotationValue(property, new ClrPropertyInfoAnnotation(clrProperty));
        }

        if (edmType.IsOpen)
        {
            var dictionary = clrType.GetProperties().SingleOrDefault(p => p.PropertyType == typeof(IDictionary<string, object>))
                ?? throw new InvalidOperationException(
                    $"The open EDM type '{((IEdmSchemaType)edmType).FullName()}' needs an IDictionary<string, object> on {clrType.Name} for its dynamic properties.");
            model.SetAnnotationValue(edmType, new DynamicPropertyDictionaryAnnotation(dictionary));
        }
    }

    private static void BindMembers(IEdmModel model, IEdmEnumType enumType, Type clrType)
    {
        var members = new Dictionary<Enum, IEdmEnumMember>();
        foreach (var member in enumType.Members)
        {
            // Graph's newer enums have lowerCamelCase members (notificationReadState/unread); C# names start upper case.
            if (!Enum.TryParse(clrType, member.Name, ignoreCase: true, out var value))
            {
                throw new InvalidOperationException($"The EDM enum member '{enumType.FullName()}/{member.Name}' has no member on {clrType.Name}.");
            }

            if (Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) != member.Value.Value)
            {
                throw new InvalidOperationException($"The EDM enum member '{enumType.FullName()}/{member.Name}' has value {member.Value.Value}, but {clrType.Name}.{member.Name} differs.");
            }

            members[(Enum)value] = member;
        }

        model.SetAnnotationValue(enumType, new ClrEnumMemberAnnotation(members));
    }
}
