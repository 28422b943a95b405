namespace GraphNotifications.Tests.Process;

/// <summary>
/// Tests that start the real service run one at a time, after the in-process tests: each one is a whole service
/// with its own start-up, and on a two-core machine parallel ones would race their own readiness timeouts. Run
/// without parallelization, xunit also honours <c>[Fact(Timeout = …)]</c>.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ServiceProcessCollection
{
    public const string Name = "Service process";

    /// <summary>A bound on a whole test, well above the ~30 s a start may take, so a hang fails instead of stalling CI.</summary>
    public const int TestTimeout = 120_000;
}
