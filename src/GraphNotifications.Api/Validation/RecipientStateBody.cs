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

    /// <summary>The state part of a body read into <paramref name="patched"/>, or null when it sets none.</summary>
    public static StateChange? StateOf(HttpContext http, Notification patched)
    {
        var names = SetBy(http);
        return names.Overlaps(Names)
            ? new StateChange(
                names.Contains(ReadState) ? patched.ReadState : null,
                names.Contains(UserActionState) ? patched.UserActionState : null,
                names.Contains(SnoozedUntilDateTime),
                names.Contains(SnoozedUntilDateTime) ? patched.SnoozedUntilDateTime : null)
            : null;
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

    /// <summary>A state property sent as null: a recipient always has a read state and an action state.</summary>
    public static void CheckNotNull(JsonObject body, List<GraphErrorDetail> problems)
    {
        foreach (string name in new[] { ReadState, UserActionState })
        {
            if (body.TryGetPropertyValue(name, out var value) && value is null)
            {
                problems.Add(new(GraphErrorCodes.InvalidValue, $"'{name}' cannot be null: send one of its members.", name));
            }
        }
    }
}
