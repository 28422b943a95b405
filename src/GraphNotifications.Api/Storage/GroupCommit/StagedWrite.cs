using System.Diagnostics;

namespace GraphNotifications.Api.Storage.GroupCommit;

/// <summary>
/// One request's write waiting for <see cref="SqliteWriteGroups"/>: either changes staged on the writer's own context,
/// to be committed with the others waiting at the same moment (<see cref="Stage"/>), or a save of the request's own
/// context that runs alone between groups (<see cref="SaveAlone"/>).
/// </summary>
internal sealed class StagedWrite
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private StagedWrite(Action<NotificationsDbContext>? stage, Action? saveAlone, StagedCreate? create = null) =>
        (Stage, SaveAlone, Create) = (stage, saveAlone, create);

    public Action<NotificationsDbContext>? Stage { get; }

    /// <summary>The request's span, for the writer's own span of the write to sit under.</summary>
    public ActivityContext Parent { get; } = Activity.Current?.Context ?? default;

    /// <summary>A create's rows, inserted by the writer's prepared commands instead of a save of its context.</summary>
    public StagedCreate? Create { get; }

    public Action? SaveAlone { get; }

    /// <summary>Completes when the write is on disk, or fails with what the store said.</summary>
    public Task Done => _done.Task;

    public static StagedWrite Grouped(Action<NotificationsDbContext> stage) => new(stage, null);

    public static StagedWrite Inserted(StagedCreate create) => new(null, null, create);

    public static StagedWrite Alone(Action saveAlone) => new(null, saveAlone);

    public void Succeed() => _done.TrySetResult();

    public void Fail(Exception exception) => _done.TrySetException(exception);
}
