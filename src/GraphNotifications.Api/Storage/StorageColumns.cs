namespace GraphNotifications.Api.Storage;

/// <summary>Columns the store keeps about a notification that neither the contract nor the CLR type shows (EF Core shadow properties).</summary>
public static class StorageColumns
{
    /// <summary>The app that created the notification: its owner, the only app that may see it.</summary>
    public const string AppId = nameof(AppId);

    /// <summary>The tenant the notification was created in (the creator's <c>tid</c>): it never leaves it.</summary>
    public const string TenantId = nameof(TenantId);
}
