using Microsoft.AspNetCore.Mvc.Filters;

namespace GraphNotifications.Api.Idempotency;

/// <summary>Marks a POST that creates as honoring <c>Idempotency-Key</c> (see <see cref="IdempotencyFilter"/>).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class IdempotentAttribute : Attribute, IFilterFactory, IOrderedFilter
{
    public bool IsReusable => false;

    // Outside the body's validation (order 0): a retry is answered as the first request was, even when a rule has
    // moved since (an expirationDateTime that has passed in the meantime).
    public int Order => -100;

    public IFilterMetadata CreateInstance(IServiceProvider serviceProvider) =>
        ActivatorUtilities.CreateInstance<IdempotencyFilter>(serviceProvider);
}
