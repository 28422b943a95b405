namespace GraphNotifications.Api.Push;

/// <summary>base64url without padding (RFC 4648 §5), as Web Push keys travel; padding is accepted on input.</summary>
internal static class Base64Url
{
    public static string Encode(ReadOnlySpan<byte> bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    /// <summary>The bytes, or null when <paramref name="text"/> is not base64url.</summary>
    public static byte[]? TryDecode(string text)
    {
        string unpadded = text.TrimEnd('=');
        if (unpadded.Length + 2 < text.Length || unpadded.Any(c => !(char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_')))
        {
            return null;
        }

        try
        {
            return System.Buffers.Text.Base64Url.DecodeFromChars(unpadded);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
