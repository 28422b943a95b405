using System.Text.Json;

namespace GraphNotifications.Api.Protocol.Json;

/// <summary>The control information names of OData JSON (OData JSON Format 4.01, 4.5) that the plans write.</summary>
internal static class ODataAnnotations
{
    public static readonly JsonEncodedText Context = JsonEncodedText.Encode("@odata.context");
    public static readonly JsonEncodedText Count = JsonEncodedText.Encode("@odata.count");
    public static readonly JsonEncodedText NextLink = JsonEncodedText.Encode("@odata.nextLink");
    public static readonly JsonEncodedText Type = JsonEncodedText.Encode("@odata.type");
    public static readonly JsonEncodedText Id = JsonEncodedText.Encode("@odata.id");
    public static readonly JsonEncodedText ETag = JsonEncodedText.Encode("@odata.etag");
    public static readonly JsonEncodedText EditLink = JsonEncodedText.Encode("@odata.editLink");
    public static readonly JsonEncodedText Value = JsonEncodedText.Encode("value");
}
