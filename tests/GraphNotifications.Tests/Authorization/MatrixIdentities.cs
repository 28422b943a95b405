namespace GraphNotifications.Tests.Authorization;

/// <summary>
/// The parties of one cell, fresh for each: app A of tenant T creates the cell's notification into the feed of
/// <see cref="User"/>; <see cref="OtherUser"/> and <see cref="OtherApp"/> belong to tenant T too.
/// </summary>
public sealed record MatrixIdentities(string App, string User, string OtherUser, string OtherApp)
{
    public const string Tenant = "tenant-t";
    public const string OtherTenant = "tenant-o";

    public static MatrixIdentities Fresh()
    {
        string tag = Guid.NewGuid().ToString("N")[..12];
        return new MatrixIdentities($"app-{tag}", $"user-{tag}", $"other-user-{tag}", $"other-app-{tag}");
    }
}
