namespace GraphNotifications.Api.ApiDescription;

/// <summary>
/// <c>csdl/openapi.json</c>, embedded in this assembly: the API description generated from the contract by
/// <c>scripts/generate-openapi.sh</c>. The service serves the file as it is and never builds a description of its own.
/// </summary>
public static class OpenApiDocument
{
    public const string ResourceName = "GraphNotifications.openapi.json";

    private static readonly Lazy<byte[]> Bytes = new(Read);

    public static ReadOnlyMemory<byte> Content => Bytes.Value;

    private static byte[] Read()
    {
        using var stream = typeof(OpenApiDocument).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The API description '{ResourceName}' is not embedded in the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
