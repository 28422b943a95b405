
namespace GraphNotifications.Api.Querying;

/// <summary><c>Prefer: odata.maxpagesize=N</c> (OData 4.01 Part 1, 8.2.8.5), honored up to the service's maximum.</summary>
public static class PagePreference
{
    private const string MaxPageSize = "odata.maxpagesize";

    /// <summary>The page size for this request, and sets <c>Preference-Applied</c> when the preference was honored.</summary>
    public static int Apply(HttpRequest request)
    {
        foreach (string? header in request.Headers["Prefer"])
        {
            foreach (string preference in (header ?? string.Empty).Split(','))
            {
                string[] parts = preference.Split('=', 2, StringSplitOptions.TrimEntries);
                if (parts.Length == 2
                    && (parts[0].Equals(MaxPageSize, StringComparison.OrdinalIgnoreCase) || parts[0].Equals("maxpagesize", StringComparison.OrdinalIgnoreCase))
                    && int.TryParse(parts[1].Trim('"'), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int size)
                    && size > 0)
                {
                    size = Math.Min(size, QueryLimits.MaxPageSize);
                    Protocol.PreferenceApplied.Add(request.HttpContext.Response, $"{MaxPageSize}={size}");
                    return size;
                }
            }
        }

        return QueryLimits.DefaultPageSize;
    }
}
