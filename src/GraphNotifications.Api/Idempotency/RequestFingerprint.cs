using System.Security.Cryptography;
using System.Text;

namespace GraphNotifications.Api.Idempotency;

/// <summary>
/// What identifies a request for <c>Idempotency-Key</c>: its method, path (and query) and body, hashed. Only the
/// hash is stored, never the body.
/// </summary>
public static class RequestFingerprint
{
    public static string Of(HttpRequest request, byte[] body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method}\n{request.PathBase}{request.Path}{request.QueryString}\n"));
        hash.AppendData(body);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
