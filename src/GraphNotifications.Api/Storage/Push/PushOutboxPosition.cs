using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GraphNotifications.Api.Storage.Push;

/// <summary>
/// How far the change log has been turned into pending pushes (table <c>PushOutboxPosition</c>, one row): a
/// <see cref="ChangeLog.ChangeLogPosition"/>. One instance at a time moves it, under a row lock on PostgreSQL (SQLite
/// has one writer), in the transaction that writes the pushes.
/// </summary>
public sealed class PushOutboxPosition
{
    public const int SingleRow = 1;

    public int Id { get; init; } = SingleRow;

    /// <summary>The position's transaction id (PostgreSQL; always 0 on SQLite).</summary>
    public long TransactionId { get; set; }

    public long Sequence { get; set; }
}

internal sealed class PushOutboxPositionConfiguration : IEntityTypeConfiguration<PushOutboxPosition>
{
    public void Configure(EntityTypeBuilder<PushOutboxPosition> builder)
    {
        builder.ToTable("PushOutboxPosition");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).ValueGeneratedNever();
    }
}
