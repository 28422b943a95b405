namespace GraphNotifications.Api.Storage;

/// <summary>Columns the store keeps about a notification that neither the contract nor the CLR type shows (EF Core shadow properties).</summary>
public static class StorageColumns
{
    /// <summary>
    /// The longest tenant, app or user id the store keeps (PostgreSQL refuses a longer one): callers whose ids are
    /// longer are refused before anything reaches the store.
    /// </summary>
    public const int MaxIdLength = 128;

    /// <summary>The app that created the notification: its owner, the only app that may see it.</summary>
    public const string AppId = nameof(AppId);

    /// <summary>The tenant the notification was created in (the creator's <c>tid</c>): it never leaves it.</summary>
    public const string TenantId = nameof(TenantId);
}
