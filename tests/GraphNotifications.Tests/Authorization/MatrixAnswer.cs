namespace GraphNotifications.Tests.Authorization;

/// <summary>
/// The answer a cell is judged by: the HTTP response itself, or, for a request that carries others (<c>$batch</c>),
/// the answer of the request inside it, which a row's <see cref="MatrixRequest.Read"/> unwraps.
/// </summary>
public sealed record MatrixAnswer(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public static async Task<MatrixAnswer> FromResponseAsync(HttpResponseMessage response)
    {
        var headers = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        return new MatrixAnswer((int)response.StatusCode, headers, await response.Content.ReadAsStringAsync());
    }

    public string? Header(string name) => Headers.TryGetValue(name, out string? value) ? value : null;

    public override string ToString() => $"{Status} {Body}";
}
