using GraphNotifications.Api.Errors;
using GraphNotifications.Api.Resources;

namespace GraphNotifications.Api.Storage;

/// <summary>
/// How a request addresses a notification: always as its owning app in its tenant; through a user's feed also as
/// that user (of the same tenant), so that only a notification in that feed is found. <see cref="UserId"/> is null
/// for the <c>notifications</c> entity set.
/// </summary>
public sealed record NotificationScope(AppScope App, string? UserId);

public enum ChangeOutcome
{
    /// <summary>Updated (the notification is the new state) or deleted.</summary>
    Done,

    /// <summary>No live notification of the app is there (or it went while the change was being made).</summary>
    NotFound,

    /// <summary>
    /// An <c>If-Match</c> or <c>If-None-Match</c> condition does not hold for the current version
    /// (<see cref="NotificationChange.FailedPrecondition"/> names which).
    /// </summary>
    PreconditionFailed,

    /// <summary>The update would break Graph's rules; <see cref="NotificationChange.Problems"/> says how.</summary>
    Invalid,

    /// <summary>Concurrent writers kept winning; nothing was changed.</summary>
    Conflict,
}

/// <summary>What an update or a delete came to.</summary>
public sealed record NotificationChange(ChangeOutcome Outcome, Notification? Notification = null, IReadOnlyList<GraphErrorDetail>? Problems = null,
    string? FailedPrecondition = null);
