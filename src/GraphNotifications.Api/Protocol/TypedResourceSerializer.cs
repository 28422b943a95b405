using GraphNotifications.Api.Resources;
using Microsoft.AspNetCore.OData.Formatter;
using Microsoft.AspNetCore.OData.Formatter.Serialization;
using Microsoft.OData;

namespace GraphNotifications.Api.Protocol;

/// <summary>
/// Writes <c>@odata.type</c> on every entity and complex value under minimal metadata too, as Graph's responses do
/// (OData would leave it out where the type is the declared one). Under <c>odata.metadata=none</c> it stays out.
/// It also writes each notification's <c>@odata.etag</c> from the store's version, which the contract does not
/// show (see <see cref="NotificationETags"/>).
/// </summary>
public sealed class TypedResourceSerializer(IODataSerializerProvider serializerProvider) : ODataResourceSerializer(serializerProvider)
{
    public override ODataResource CreateResource(SelectExpandNode selectExpandNode, ResourceContext resourceContext)
    {
        var resource = base.CreateResource(selectExpandNode, resourceContext);
        if (resourceContext.SerializerContext.MetadataLevel != ODataMetadataLevel.None)
        {
            resource.TypeAnnotation = new ODataTypeAnnotation(resource.TypeName);
        }

        return resource;
    }

    public override string? CreateETag(ResourceContext resourceContext) =>
        resourceContext.ResourceInstance is Notification { Version: > 0 } notification
            ? NotificationETags.Format(notification.Version)
            : base.CreateETag(resourceContext);
}
