using System.Net;
using System.Text;
using GraphNotifications.Tests.Infrastructure;

namespace GraphNotifications.Tests.Contract;

/// <summary>The contract is CSDL as OASIS defines it: it validates against the EDMX and EDM XML schemas.</summary>
public sealed class MetadataSchemaTests(ServiceFactory service) : IClassFixture<ServiceFactory>
{
    [Fact]
    public void The_contract_file_validates_against_the_OASIS_schemas()
    {
        using var file = File.OpenRead(ContractFiles.CsdlPath);

        var problems = OasisXmlSchema.Validate(file);

        Assert.True(problems.Count == 0, "csdl/GraphNotifications.xml:\n" + string.Join("\n", problems));
    }

    [Theory]
    [InlineData("/v1.0/$metadata")]
    [InlineData("/beta/$metadata")]
    public async Task Served_metadata_validates_against_the_OASIS_schemas(string url)
    {
        using var client = service.ClientWith(token: null);

        using var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        var problems = OasisXmlSchema.Validate(body);
        Assert.True(problems.Count == 0, $"{url}:\n" + string.Join("\n", problems) + "\n" + Encoding.UTF8.GetString(body.ToArray()));
    }

    // Keeps the tests above honest: were the schemas not applied (a wrong namespace, a lax match), they would pass.
    [Fact]
    public async Task A_contract_with_a_misspelt_attribute_is_refused()
    {
        string contract = await File.ReadAllTextAsync(ContractFiles.CsdlPath);
        string broken = contract.Replace("<EntityType Name=\"user\"", "<EntityType Nmae=\"user\"", StringComparison.Ordinal);
        Assert.NotEqual(contract, broken);

        using var document = new MemoryStream(Encoding.UTF8.GetBytes(broken));
        var problems = OasisXmlSchema.Validate(document);

        Assert.Contains(problems, p => p.Contains("Nmae", StringComparison.Ordinal));
    }
}
