using System.Xml;
using Microsoft.OData;
using Microsoft.OData.Edm;
using Microsoft.OData.Edm.Csdl;

namespace GraphNotifications.Tests.Contract;

/// <summary>A resource as the OData reader delivered it, with the resources nested in it by property name.</summary>
public sealed record ReadResource(ODataResource Resource, IReadOnlyDictionary<string, ReadResource?> Nested)
{
    public object? this[string property] =>
        Resource.Properties.OfType<ODataProperty>().SingleOrDefault(p => p.Name == property)?.Value;
}

/// <summary>
/// Reads the service's responses as a client built on Microsoft.OData.Core does: <see cref="ODataMessageReader"/> on
/// a response message (an HTTP response, or one operation of a batch), with the model read from
/// csdl/GraphNotifications.xml and no custom type resolver.
/// </summary>
public static class ODataClient
{
    public static IEdmModel Model { get; } = LoadModel();

    public static IEdmEntitySet Notifications => Model.EntityContainer.FindEntitySet("notifications");

    public static IEdmEntityType NotificationType => (IEdmEntityType)Model.FindDeclaredType("microsoft.graph.notification");

    public static ODataMessageReader ReaderFor(IODataResponseMessageAsync message) => new(message, Settings(), Model);

    public static async Task<ReadResource> ReadResourceAsync(IODataResponseMessageAsync message)
    {
        using var messageReader = ReaderFor(message);
        var reader = await messageReader.CreateODataResourceReaderAsync(Notifications, NotificationType);
        var (_, resources) = await ReadAllAsync(reader);
        return Assert.Single(resources);
    }

    public static async Task<(ODataResourceSet Set, IReadOnlyList<ReadResource> Resources)> ReadResourceSetAsync(IODataResponseMessageAsync message)
    {
        using var messageReader = ReaderFor(message);
        var reader = await messageReader.CreateODataResourceSetReaderAsync(Notifications, NotificationType);
        var (set, resources) = await ReadAllAsync(reader);
        return (set ?? throw new InvalidOperationException("The reader delivered no resource set."), resources);
    }

    private static ODataMessageReaderSettings Settings() => new()
    {
        MessageQuotas = new ODataMessageQuotas { MaxReceivedMessageSize = 1024 * 1024, MaxNestingDepth = 16 },
    };

    /// <summary>Walks the reader to its end, rebuilding each top-level resource and the resources nested in it.</summary>
    private static async Task<(ODataResourceSet? Set, IReadOnlyList<ReadResource> Resources)> ReadAllAsync(ODataReader reader)
    {
        ODataResourceSet? set = null;
        var resources = new List<ReadResource>();
        var open = new Stack<(ODataResource Resource, Dictionary<string, ReadResource?> Nested)>();
        var nestedNames = new Stack<string>();
        while (await reader.ReadAsync())
        {
            switch (reader.State)
            {
                case ODataReaderState.ResourceSetStart when open.Count == 0:
                    set = reader.Item as ODataResourceSet;
                    break;
                case ODataReaderState.NestedResourceInfoStart when reader.Item is ODataNestedResourceInfo info:
                    nestedNames.Push(info.Name);
                    break;
                case ODataReaderState.NestedResourceInfoEnd:
                    nestedNames.Pop();
                    break;
                case ODataReaderState.ResourceStart when reader.Item is null:
                    open.Peek().Nested[nestedNames.Peek()] = null;
                    break;
                case ODataReaderState.ResourceStart when reader.Item is ODataResource resource:
                    open.Push((resource, new Dictionary<string, ReadResource?>(StringComparer.Ordinal)));
                    break;
                case ODataReaderState.ResourceEnd when reader.Item is not null:
                    var (ended, nested) = open.Pop();
                    var read = new ReadResource(ended, nested);
                    if (open.Count == 0)
                    {
                        resources.Add(read);
                    }
                    else
                    {
                        open.Peek().Nested[nestedNames.Peek()] = read;
                    }

                    break;
            }
        }

        Assert.Equal(ODataReaderState.Completed, reader.State);
        return (set, resources);
    }

    private static IEdmModel LoadModel()
    {
        using var xml = XmlReader.Create(ContractFiles.CsdlPath);
        return CsdlReader.Parse(xml);
    }
}
