using System.Net;
using System.Xml.Linq;
using GraphNotifications.Tests.Infrastructure;

namespace GraphNotifications.Tests.Contract;

/// <summary>What a client downloads as $metadata is csdl/GraphNotifications.xml, the contract as reviewed.</summary>
public sealed class MetadataDocumentTests(ServiceFactory service) : IClassFixture<ServiceFactory>
{
    [Theory]
    [InlineData("/v1.0/$metadata")]
    [InlineData("/beta/$metadata")]
    public async Task Served_metadata_is_the_contract_file_element_for_element(string url)
    {
        using var client = service.ClientWith(token: null);

        using var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
        var served = ContractFiles.Comparable(await response.Content.ReadAsStringAsync());
        var file = ContractFiles.Comparable(await File.ReadAllTextAsync(ContractFiles.CsdlPath));
        Assert.True(XNode.DeepEquals(file, served),
            $"{url} differs from csdl/GraphNotifications.xml.\n--- file ---\n{file}\n--- served ---\n{served}");
    }
}
