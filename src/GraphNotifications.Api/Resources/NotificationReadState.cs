namespace GraphNotifications.Api.Resources;

/// <summary>
/// <c>microsoft.graph.notificationReadState</c>, this service's own: whether one recipient has read a notification.
/// Values match the contract's members;
/// names too, but for the first letter's case.
/// </summary>
public enum NotificationReadState
{
    Unread = 0,
    Read = 1,
}
