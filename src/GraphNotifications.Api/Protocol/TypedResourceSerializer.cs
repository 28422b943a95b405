using GraphNotifications.Api.Resources;
using Microsoft.AspNetCore.OData.Formatter;
using Microsoft.AspNetCore.OData.Formatter.Serialization;
using Microsoft.OData;
using Microsoft.OData.Edm;

namespace GraphNotifications.Api.Protocol;

/// <summary>
/// Writes <c>@odata.type</c> on every entity and complex value under minimal metadata too, as Graph's responses do
/// (OData would leave it out where the type is the declared one). Under <c>odata.metadata=none</c> it stays out.
/// It also writes each notification's <c>@odata.etag</c> from the store's version, which the contract does not
/// show (see <see cref="NotificationETags"/>), under <c>$select</c> too (see <see cref="ProjectedETags"/>).
/// </summary>
public sealed class TypedResourceSerializer(IODataSerializerProvider serializerProvider) : ODataResourceSerializer(serializerProvider)
{
    public override ODataResource CreateResource(SelectExpandNode selectExpandNode, ResourceContext resourceContext)
    {
        var resource = base.CreateResource(selectExpandNode, resourceContext);
        if (resourceContext.SerializerContext.MetadataLevel != ODataMetadataLevel.None)
        {
            resource.TypeAnnotation = new ODataTypeAnnotation(resource.TypeName);
            // An item of a user's feed is edited where it was read (its recipient's state is there); it is still
            // the notification notifications('{id}').
            if (resourceContext.StructuredType is IEdmEntityType { Name: "notification" }
                && resourceContext.EdmObject.TryGetPropertyValue("id", out object? id) && id is string key
                && FeedEditLinks.Of(resourceContext, key) is { } editLink)
            {
                resource.Id = ServiceRoot.NotificationUrl(resourceContext.Request!, key);
                resource.EditLink = editLink;
            }
        }

        return resource;
    }

    public override string? CreateETag(ResourceContext resourceContext) => resourceContext.ResourceInstance switch
    {
        Notification { Version: > 0 } notification => NotificationETags.Of(notification),
        // A $select projection (AspNetCoreOData rebuilds the instance from the selected properties, without the
        // version): the key is always in it, and the version is looked up by the key.
        _ when resourceContext.StructuredType is IEdmEntityType { Name: "notification" }
            && resourceContext.EdmObject.TryGetPropertyValue("id", out object? id) =>
            ProjectedETags.Find(resourceContext.Request?.HttpContext, id) ?? base.CreateETag(resourceContext),
        _ => base.CreateETag(resourceContext),
    };
}
