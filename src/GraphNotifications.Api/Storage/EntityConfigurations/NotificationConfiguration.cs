using System.Text.Json;
using GraphNotifications.Api.Resources;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace GraphNotifications.Api.Storage.EntityConfigurations;

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> builder)
    {
        builder.ToTable("Notifications");
        builder.HasKey(n => n.Id);
        builder.Property(n => n.Id).HasMaxLength(36);
        builder.Property(n => n.TargetHostName).IsRequired();

        // Stored as UTC ticks (an integer) on every provider: SQLite cannot compare DateTimeOffset, ticks keep the
        // instant to the tick (PostgreSQL's timestamptz keeps microseconds only), and an integer compares and sorts
        // by instant in the database, so filters and ordering on expirationDateTime run there on both providers.
        builder.Property(n => n.ExpirationDateTime).HasConversion(UtcTicks).HasColumnName("ExpiresAt");
        // Stored as the member's value, so that $orderby=priority sorts as the enum does.
        builder.Property(n => n.Priority);
        builder.Property(n => n.Version).IsConcurrencyToken();
        // The same instant as CreatedAt, kept as its own column so that $filter and $orderby on createdDateTime run
        // in the store through the converter (one property cannot share a column with another).
        builder.Property(n => n.CreatedDateTime).HasConversion(UtcTicks);
        // A recipient's state lives on their feed link (UserNotificationLink); a feed's query fills these in.
        builder.Ignore(n => n.ReadState);
        builder.Ignore(n => n.UserActionState);
        builder.Ignore(n => n.SnoozedUntilDateTime);
        builder.Ignore(n => n.StateVersion);

        builder.OwnsOne(n => n.Payload, payload =>
        {
            payload.Property(p => p.RawContent).HasColumnName("RawContent");
            payload.OwnsOne(p => p.VisualContent, visual =>
            {
                visual.Property(v => v.Title).HasColumnName("Title");
                visual.Property(v => v.Body).HasColumnName("Body");
            });
            payload.Navigation(p => p.VisualContent).IsRequired(false);
        });
        builder.Navigation(n => n.Payload).IsRequired();

        builder.OwnsOne(n => n.TargetPolicy, policy =>
            policy.PrimitiveCollection(p => p.PlatformTypes).HasColumnName("PlatformTypes"));

        builder.Property(n => n.DynamicProperties)
            .HasConversion(DynamicPropertiesJson.Converter, DynamicPropertiesJson.Comparer)
            .HasColumnName("DynamicProperties");

        builder.Property<string>(StorageColumns.TenantId).IsRequired().HasMaxLength(StorageColumns.MaxIdLength);
        builder.Property<string>(StorageColumns.AppId).IsRequired().HasMaxLength(StorageColumns.MaxIdLength);

        // An app's notifications in its tenant newest first (the notifications entity set), and the expiry
        // sweeper's scan, which runs across tenants.
        builder.HasIndex(StorageColumns.TenantId, StorageColumns.AppId, nameof(Notification.CreatedAt), nameof(Notification.Id));
        builder.HasIndex(n => n.ExpirationDateTime);
    }

    internal static readonly ValueConverter<DateTimeOffset?, long?> UtcTicks = new(
        v => v.HasValue ? v.Value.UtcTicks : null,
        v => v.HasValue ? new DateTimeOffset(v.Value, TimeSpan.Zero) : null);
}

/// <summary>The open type's dynamic properties, kept as one JSON object column.</summary>
internal static class DynamicPropertiesJson
{
    public static readonly ValueConverter<IDictionary<string, object>, string> Converter = new(
        v => Serialize(v),
        v => Deserialize(v));

    public static readonly ValueComparer<IDictionary<string, object>> Comparer = new(
        (a, b) => Serialize(a!) == Serialize(b!),
        v => Serialize(v).GetHashCode(StringComparison.Ordinal),
        v => Deserialize(Serialize(v)));

    /// <summary>
    /// The values as a read from the store gives them back. The OData reader makes every untyped number a Decimal;
    /// kept that way, a 201 would write <c>"n@odata.type": "#Decimal"</c> for a 3 that every later read writes plain.
    /// </summary>
    public static IDictionary<string, object> AsStored(IDictionary<string, object> properties) => Deserialize(Serialize(properties));

    // Internal, not private: the compiled models (Storage/CompiledModels) call the converter's methods directly.
    internal static string Serialize(IDictionary<string, object> properties) => JsonSerializer.Serialize(properties);

    internal static IDictionary<string, object> Deserialize(string json)
    {
        var result = new Dictionary<string, object>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(json);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (ToClr(property.Value) is { } value)
            {
                result[property.Name] = value;
            }
        }

        return result;
    }

    // Dynamic properties are primitives (the request validator admits nothing else); numbers come back in the
    // narrowest CLR type that holds them, as the OData reader produced them.
    internal static object? ToClr(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number when value.TryGetInt32(out int i) => i,
        JsonValueKind.Number when value.TryGetInt64(out long l) => l,
        JsonValueKind.Number when value.TryGetDecimal(out decimal m) => m,
        JsonValueKind.Number => value.GetDouble(),
        _ => null,
    };
}
