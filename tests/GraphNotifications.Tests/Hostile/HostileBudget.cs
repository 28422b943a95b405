using System.Globalization;

namespace GraphNotifications.Tests.Hostile;

/// <summary>
/// How many cases the hostile-input properties run. <c>HOSTILE_CASES</c> sets the total across all of them (CI uses
/// the default, <see cref="DefaultTotal"/>); each property gets its share by weight.
/// </summary>
public static class HostileBudget
{
    public const string Variable = "HOSTILE_CASES";
    public const int DefaultTotal = 28_000;

    /// <summary>The weights of the properties, which add up to this.</summary>
    public const int TotalWeight = 28;

    public static int Total =>
        int.TryParse(Environment.GetEnvironmentVariable(Variable), NumberStyles.None, CultureInfo.InvariantCulture, out int total) && total > 0
            ? total
            : DefaultTotal;

    /// <summary>The cases of a property of <paramref name="weight"/>.</summary>
    public static int Cases(int weight) => Math.Max(1, (int)((long)Total * weight / TotalWeight));

    /// <summary>
    /// How long a property may run before it fails: generous for this 2-core machine (about 25 ms a case, at least
    /// three minutes), so that a service that slows to a crawl fails the suite instead of stalling CI.
    /// </summary>
    public static TimeSpan Deadline(int cases) => TimeSpan.FromSeconds(Math.Max(180, cases * 0.025));
}
