using GraphNotifications.Api.Errors;
using GraphNotifications.Api.Resources;

namespace GraphNotifications.Api.Storage;

/// <summary>One recipient's state of one notification, as their feed link keeps it.</summary>
public sealed record RecipientState(NotificationReadState ReadState, NotificationUserActionState UserActionState, DateTimeOffset? SnoozedUntil, long StateVersion)
{
    /// <summary>The state of a link just made: unread, no interaction.</summary>
    public static readonly RecipientState Fresh = new(NotificationReadState.Unread, NotificationUserActionState.NoInteraction, null, 1);

    public static RecipientState Of(UserNotificationLink link) => new(link.ReadState, link.UserActionState, link.SnoozedUntil, link.StateVersion);

    /// <summary>Shows this state on a notification read through the recipient's feed.</summary>
    public void ShowOn(Notification notification)
    {
        notification.ReadState = ReadState;
        notification.UserActionState = UserActionState;
        notification.SnoozedUntilDateTime = SnoozedUntil;
        notification.StateVersion = StateVersion;
    }
}

/// <summary>
/// What a PATCH through a feed asks of the recipient's state: each part null when the body does not set it
/// (<see cref="SetsSnoozedUntil"/> tells an absent <c>snoozedUntilDateTime</c> from a null one).
/// </summary>
public sealed record StateChange(NotificationReadState? ReadState, NotificationUserActionState? UserActionState, bool SetsSnoozedUntil, DateTimeOffset? SnoozedUntil)
{
    /// <summary>
    /// Applies the change to the link, under the rules of <c>docs/recipient.md</c>: <c>activated</c> and
    /// <c>dismissed</c> also make it read unless the change sets <c>readState</c>; <c>snoozed</c> needs a
    /// <c>snoozedUntilDateTime</c> in the future and not after the notification's expiry; a new
    /// <c>snoozedUntilDateTime</c> alone moves a snooze that is on; leaving <c>snoozed</c> clears the time.
    /// Returns whether anything changed; adds what is wrong to <paramref name="problems"/> and changes nothing then.
    /// </summary>
    public bool ApplyTo(UserNotificationLink link, DateTimeOffset? expiresAt, DateTimeOffset now, List<GraphErrorDetail> problems)
    {
        var action = UserActionState ?? link.UserActionState;
        var read = ReadState
            ?? (UserActionState is NotificationUserActionState.Activated or NotificationUserActionState.Dismissed ? NotificationReadState.Read : link.ReadState);
        DateTimeOffset? until;
        if (action == NotificationUserActionState.Snoozed)
        {
            until = SetsSnoozedUntil ? SnoozedUntil : UserActionState is null ? link.SnoozedUntil : null;
            if (until is null)
            {
                problems.Add(new(GraphErrorCodes.MissingProperty,
                    "'userActionState' snoozed needs 'snoozedUntilDateTime': when the notification should come back.", "snoozedUntilDateTime"));
            }
            else if (until <= now)
            {
                problems.Add(new(GraphErrorCodes.InvalidValue,
                    $"'snoozedUntilDateTime' is {until:O}, which has passed; a snooze ends in the future.", "snoozedUntilDateTime"));
            }
            else if (expiresAt is { } expiry && until > expiry)
            {
                problems.Add(new(GraphErrorCodes.InvalidValue,
                    $"'snoozedUntilDateTime' is {until:O}, after the notification expires ({expiry:O}); snooze it until its expiry at the latest.",
                    "snoozedUntilDateTime"));
            }
        }
        else
        {
            until = null;
            if (SetsSnoozedUntil && SnoozedUntil is not null)
            {
                problems.Add(new(GraphErrorCodes.InvalidValue,
                    "'snoozedUntilDateTime' applies only to a snoozed notification: send 'userActionState': 'snoozed' with it.", "snoozedUntilDateTime"));
            }
        }

        if (problems.Count > 0)
        {
            return false;
        }

        if (read == link.ReadState && action == link.UserActionState && until == link.SnoozedUntil)
        {
            return false;
        }

        link.ReadState = read;
        link.UserActionState = action;
        link.SnoozedUntil = until?.ToUniversalTime();
        link.StateVersion++;
        return true;
    }
}
