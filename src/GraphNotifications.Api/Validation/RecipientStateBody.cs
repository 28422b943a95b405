using System.Text.Json.Nodes;
using GraphNotifications.Api.Errors;
using GraphNotifications.Api.Resources;
using GraphNotifications.Api.Storage;

namespace GraphNotifications.Api.Validation;

/// <summary>
/// The recipient's state properties in a notification body (<c>readState</c>, <c>userActionState</c>,
/// <c>snoozedUntilDateTime</c>): what a PATCH through a feed changes for that recipient alone. The checked body's
/// property names are kept for the action, which tells the state part of an update from its content part by them.
/// </summary>
public static class RecipientStateBody
{
    public const string ReadState = "readState";
    public const string UserActionState = "userActionState";
    public const string SnoozedUntilDateTime = "snoozedUntilDateTime";

    public static readonly IReadOnlySet<string> Names = new HashSet<string>(StringComparer.Ordinal) { ReadState, UserActionState, SnoozedUntilDateTime };

    private static readonly object ItemKey = new();

    /// <summary>Keeps the names of the properties a checked update body sets.</summary>
    public static void Remember(HttpContext http, JsonObject normalized) =>
        http.Items[ItemKey] = normalized.Select(p => p.Key).Where(k => !k.StartsWith('@')).ToHashSet(StringComparer.Ordinal);

    /// <summary>The properties the checked body sets (empty when none was checked).</summary>
    public static IReadOnlySet<string> SetBy(HttpContext http) =>
        http.Items[ItemKey] as HashSet<string> ?? [];

    /// <summary>Whether the body sets any property of the app's content (anything but the recipient's state).</summary>
    public static bool SetsContent(HttpContext http) => SetBy(http).Any(name => !Names.Contains(name));

    /// <summary>
    /// The state part of an update's body: null when it sets none. <paramref name="valueOf"/> reads a property the
    /// body set by its CLR name (the OData reader's <c>Delta</c>).
    /// </summary>
    public static StateChange? StateOf(HttpContext http, Func<string, object?> valueOf)
    {
        var names = SetBy(http);
        return names.Overlaps(Names)
            ? new StateChange(
                names.Contains(ReadState) ? valueOf(nameof(Notification.ReadState)) as NotificationReadState? : null,
                names.Contains(UserActionState) ? valueOf(nameof(Notification.UserActionState)) as NotificationUserActionState? : null,
                names.Contains(SnoozedUntilDateTime),
                names.Contains(SnoozedUntilDateTime) ? valueOf(nameof(Notification.SnoozedUntilDateTime)) as DateTimeOffset? : null)
            : null;
    }

    /// <summary>Whether the change sets any state to a value: outside a feed, a state sent as null is a read answer sent back.</summary>
    public static bool SetsAnyValue(StateChange change) =>
        change.ReadState is not null || change.UserActionState is not null || change.SnoozedUntil is not null;

    /// <summary>The 400 for a read or action state sent as null through a feed: a recipient always has both.</summary>
    public static GraphError? NullInFeed(HttpContext http, StateChange change)
    {
        var names = SetBy(http);
        var problems = new List<GraphErrorDetail>();
        if (names.Contains(ReadState) && change.ReadState is null)
        {
            problems.Add(new(GraphErrorCodes.InvalidValue, $"'{ReadState}' cannot be null in a feed: send unread or read.", ReadState));
        }

        if (names.Contains(UserActionState) && change.UserActionState is null)
        {
            problems.Add(new(GraphErrorCodes.InvalidValue,
                $"'{UserActionState}' cannot be null in a feed: send noInteraction, activated, dismissed or snoozed.", UserActionState));
        }

        return problems.Count > 0 ? GraphError.InvalidBody(problems) : null;
    }

    /// <summary>
    /// The 400 for state in a body that has no recipient: a create (a new link starts unread and with no
    /// interaction), or an update through <c>/notifications</c>, which is nobody's feed.
    /// </summary>
    public static GraphError? RefusedOutsideFeed(IEnumerable<string> names, bool create)
    {
        var problems = names.Where(Names.Contains)
            .Select(name => new GraphErrorDetail(GraphErrorCodes.InvalidValue, create
                ? $"'{name}' is a recipient's state: every recipient starts unread with no interaction; change it with PATCH on the recipient's feed (/me/notifications/{{id}} or /users/{{id}}/notifications/{{id}})."
                : $"'{name}' is a recipient's state, and /notifications is nobody's feed: PATCH it on the recipient's feed (/me/notifications/{{id}} or /users/{{id}}/notifications/{{id}}).",
                name))
            .ToList();
        return problems.Count > 0 ? GraphError.InvalidBody(problems) : null;
    }
}
