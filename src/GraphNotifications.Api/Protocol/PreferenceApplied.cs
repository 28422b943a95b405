namespace GraphNotifications.Api.Protocol;

/// <summary>
/// The <c>Preference-Applied</c> response header: one comma-separated list of every preference the service honored,
/// each added by the part of the service that honored it.
/// </summary>
public static class PreferenceApplied
{
    public const string HeaderName = "Preference-Applied";

    public static void Add(HttpResponse response, string preference)
    {
        string current = response.Headers[HeaderName].ToString();
        response.Headers[HeaderName] = current.Length == 0 ? preference : $"{current}, {preference}";
    }
}
