using System.Globalization;
using System.Text.RegularExpressions;

namespace GraphNotifications.Api.Validation;

/// <summary>Edm.DateTimeOffset literals as OData JSON writes them: ISO 8601 with a <c>Z</c> or a numeric offset.</summary>
public static partial class ODataDateTime
{
    public static bool TryParse(string text, out DateTimeOffset value)
    {
        value = default;
        return Shape().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }

    [GeneratedRegex(@"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,12})?)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex Shape();
}
