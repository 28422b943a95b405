using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace GraphNotifications.Api.Validation;

/// <summary>
/// Binds a create's parameter to the resource <see cref="NotificationBodyAttribute"/> made of the checked body, in
/// place of the OData formatter reading the same body a second time. A request that did not pass that check never
/// reaches the action; should one get here regardless, binding fails and the action answers its unreadable-body 400.
/// </summary>
public sealed class ValidatedBody : IModelBinder
{
    private static readonly object ItemKey = new();

    public static void Set(HttpContext http, object resource) => http.Items[ItemKey] = resource;

    public Task BindModelAsync(ModelBindingContext bindingContext)
    {
        if (bindingContext.HttpContext.Items.TryGetValue(ItemKey, out var resource)
            && resource is not null && bindingContext.ModelType.IsInstanceOfType(resource))
        {
            bindingContext.Result = ModelBindingResult.Success(resource);
        }
        else
        {
            bindingContext.ModelState.AddModelError(bindingContext.ModelName, "The request body was not checked as a resource of this type.");
        }

        return Task.CompletedTask;
    }
}
