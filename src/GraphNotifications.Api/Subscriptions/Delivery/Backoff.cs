namespace GraphNotifications.Api.Subscriptions.Delivery;

/// <summary>
/// The delay before retry number <c>attempts</c>: the base doubled per failure up to the cap, then "equal jitter" —
/// half of it fixed, half random — so subscriptions that failed together do not all retry together.
/// </summary>
internal static class Backoff
{
    public static TimeSpan Delay(int attempts, TimeSpan retryBase, TimeSpan cap)
    {
        double exponential = retryBase.TotalMilliseconds * Math.Pow(2, Math.Clamp(attempts - 1, 0, 30));
        double capped = Math.Min(exponential, cap.TotalMilliseconds);
        return TimeSpan.FromMilliseconds((capped / 2) + (Random.Shared.NextDouble() * capped / 2));
    }
}
