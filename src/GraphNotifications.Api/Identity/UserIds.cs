using GraphNotifications.Api.Storage;

namespace GraphNotifications.Api.Identity;

/// <summary>
/// What a user id may be, wherever a request names one (<c>/users/{id}</c>, a fan-out's <c>userIds</c>): the service
/// owns no directory, so any text is a user, within what the store keeps: 1 to 128 characters, none of them U+0000
/// (which PostgreSQL's text cannot hold; a path cannot carry it, a JSON string can).
/// </summary>
public static class UserIds
{
    public const int MaxLength = StorageColumns.MaxIdLength;

    /// <summary>Why <paramref name="id"/> cannot be a user id, or null when it can.</summary>
    public static string? Problem(string id) => id switch
    {
        "" => "a user id is not empty",
        { Length: > MaxLength } => $"a user id is at most {MaxLength} characters",
        _ when id.Contains('\0', StringComparison.Ordinal) => "a user id cannot hold the character U+0000",
        _ => null,
    };
}
