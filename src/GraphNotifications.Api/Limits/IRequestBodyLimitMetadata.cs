namespace GraphNotifications.Api.Limits;

/// <summary>
/// Endpoint metadata of an action whose body may be larger than <see cref="LimitsOptions.MaxRequestBodyBytes"/>:
/// <see cref="BodySizeLimit"/> holds that action's body to this limit instead (and raises Kestrel's for it). Every
/// other route keeps the service's limit.
/// </summary>
public interface IRequestBodyLimitMetadata
{
    /// <summary>The action's limit, in bytes after decompression, read from the request's services (its configuration).</summary>
    long MaxRequestBodyBytes(IServiceProvider services);
}
