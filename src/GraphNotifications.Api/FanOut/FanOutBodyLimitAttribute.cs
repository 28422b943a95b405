using GraphNotifications.Api.Limits;
using Microsoft.Extensions.Options;

namespace GraphNotifications.Api.FanOut;

/// <summary>The body limit of <c>addRecipients</c> and <c>removeRecipients</c>: <see cref="FanOutOptions.MaxRequestBodyBytes"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FanOutBodyLimitAttribute : Attribute, IRequestBodyLimitMetadata
{
    public long MaxRequestBodyBytes(IServiceProvider services) => services.GetRequiredService<IOptions<FanOutOptions>>().Value.MaxRequestBodyBytes;
}
