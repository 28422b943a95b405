using System.Text.RegularExpressions;

namespace GraphNotifications.Api.Storage.DynamicProperties;

/// <summary>
/// Reads one dynamic property of a notification inside a query, typed: a string, a number or a Boolean, or null when
/// the property is absent or holds a value of another type. Each relational store translates these calls to its own
/// JSON functions (<see cref="SqliteDynamicPropertyTranslator"/>, <see cref="PostgresDynamicPropertyTranslator"/>), so a
/// filter runs in the database; the bodies here are what EF Core's in-memory store and LINQ to Objects run, with the
/// same meaning.
/// </summary>
/// <remarks>
/// The name must be a constant in the query, never a parameter: SQLite and PostgreSQL use an expression index only
/// when the query holds the very expression it indexes (<c>appNotificationId</c>'s, see the AppNotificationIdIndex migration).
/// </remarks>
public static partial class DynamicPropertyValues
{
    /// <summary>Whether <paramref name="name"/> is a name a notification can hold (the request validator's rule), and so one a translator may put in a JSON path.</summary>
    public static bool IsStorableName(string name) => StorableName().IsMatch(name);

    public static bool IsString(IDictionary<string, object>? properties, string name) => Value(properties, name) is string;

    public static bool IsNumber(IDictionary<string, object>? properties, string name) => AsNumber(Value(properties, name)) is not null;

    public static bool IsBoolean(IDictionary<string, object>? properties, string name) => Value(properties, name) is bool;

    /// <summary>Absent (or a JSON null, which the service never stores): OData's null.</summary>
    public static bool IsNull(IDictionary<string, object>? properties, string name) => Value(properties, name) is null;

    public static string? String(IDictionary<string, object>? properties, string name) => Value(properties, name) as string;

    /// <summary>Numbers compare as IEEE 754 doubles on every store (SQLite keeps no exact decimals).</summary>
    public static double? Number(IDictionary<string, object>? properties, string name) => AsNumber(Value(properties, name));

    public static bool? Boolean(IDictionary<string, object>? properties, string name) => Value(properties, name) as bool?;

    private static object? Value(IDictionary<string, object>? properties, string name) =>
        properties is not null && properties.TryGetValue(name, out var value) ? value : null;

    private static double? AsNumber(object? value) => value switch
    {
        int i => i,
        long l => l,
        decimal m => (double)m,
        double d => d,
        float f => f,
        short s => s,
        byte b => b,
        _ => null,
    };

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex StorableName();
}
