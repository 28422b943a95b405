namespace GraphNotifications.Api.Resources;

/// <summary>
/// <c>microsoft.graph.notificationUserActionState</c>, this service's own: what one recipient last did with a
/// notification on any of their devices. Values match the contract's members;
/// names too, but for the first letter's case.
/// </summary>
public enum NotificationUserActionState
{
    NoInteraction = 0,
    Activated = 1,
    Dismissed = 2,
    Snoozed = 3,
}
