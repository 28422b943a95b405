using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;
using System.Xml;
using System.Xml.Linq;
using Json.Schema;
using Microsoft.OData.Edm;
using Microsoft.OData.Edm.Csdl;
using Microsoft.OData.Edm.Validation;

namespace GraphNotifications.Tests.Contract;

/// <summary>$metadata asked for as JSON is the contract in CSDL JSON (OData 4.01), by $format or by Accept.</summary>
public sealed class CsdlJsonTests(ServiceFactory service) : IClassFixture<ServiceFactory>
{
    private static readonly Lazy<JsonSchema> OasisJsonSchema = new(() =>
        JsonSchema.FromFile(Path.Combine(ContractFiles.OasisCsdl(), "csdl.schema.json")));

    public static TheoryData<string, string?> JsonRequests { get; } = new()
    {
        { "/v1.0/$metadata?$format=application/json", null },
        { "/beta/$metadata?$format=application/json", null },
        { "/v1.0/$metadata", "application/json" },
        { "/beta/$metadata", "application/json" },
    };

    [Theory]
    [MemberData(nameof(JsonRequests))]
    public async Task Metadata_as_JSON_describes_the_contract_s_schema_and_container(string url, string? accept)
    {
        using var document = await GetCsdlJsonAsync(url, accept);

        var root = document.RootElement;
        Assert.Equal("4.0", root.GetProperty("$Version").GetString());
        Assert.Equal("microsoft.graph.GraphService", root.GetProperty("$EntityContainer").GetString());
        var schema = root.GetProperty("microsoft.graph");
        Assert.Equal("graph", schema.GetProperty("$Alias").GetString());
        Assert.Equal("EntityType", KindOf(schema, "entity"));
        Assert.Equal("EntityType", KindOf(schema, "notification"));
        Assert.Equal("EntityType", KindOf(schema, "user"));
        Assert.Equal("ComplexType", KindOf(schema, "payloadTypes"));
        Assert.Equal("ComplexType", KindOf(schema, "visualProperties"));
        Assert.Equal("ComplexType", KindOf(schema, "targetPolicyEndpoints"));
        Assert.Equal("EnumType", KindOf(schema, "priority"));
        Assert.True(schema.GetProperty("notification").GetProperty("$OpenType").GetBoolean());
        var container = schema.GetProperty("GraphService");
        Assert.Equal("EntityContainer", container.GetProperty("$Kind").GetString());
        Assert.Equal("microsoft.graph.user", container.GetProperty("users").GetProperty("$Type").GetString());
        Assert.True(container.GetProperty("users").GetProperty("$Collection").GetBoolean());
        Assert.Equal("microsoft.graph.notification", container.GetProperty("notifications").GetProperty("$Type").GetString());
        Assert.Equal("microsoft.graph.user", container.GetProperty("me").GetProperty("$Type").GetString());
        Assert.False(container.GetProperty("me").TryGetProperty("$Collection", out _), "me is a singleton");
    }

    [Theory]
    [MemberData(nameof(JsonRequests))]
    public async Task Metadata_as_JSON_validates_against_the_OASIS_CSDL_JSON_schema(string url, string? accept)
    {
        using var document = await GetCsdlJsonAsync(url, accept);

        var result = OasisJsonSchema.Value.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });

        var errors = (result.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Key}: {e.Value}"));
        Assert.True(result.IsValid, $"{url}:\n{string.Join("\n", errors)}\n{document.RootElement}");
    }

    // Read back and written as XML, the JSON must give the contract file: the two representations say the same.
    [Fact]
    public async Task Metadata_as_JSON_is_the_same_model_as_the_contract_file()
    {
        using var client = service.ClientWith(token: null);
        byte[] json = await client.GetByteArrayAsync("/v1.0/$metadata?$format=application/json");

        var reader = new Utf8JsonReader(json);
        Assert.True(CsdlReader.TryParse(ref reader, out IEdmModel model, out IEnumerable<EdmError> errors),
            string.Join("\n", errors.Select(e => $"{e.ErrorLocation}: {e.ErrorMessage}")));
        var xml = new StringBuilder();
        using (var writer = XmlWriter.Create(xml, new XmlWriterSettings { Encoding = Encoding.UTF8 }))
        {
            Assert.True(CsdlWriter.TryWriteCsdl(model, writer, CsdlTarget.OData, out var writeErrors),
                string.Join("\n", writeErrors.Select(e => e.ErrorMessage)));
        }

        var fromJson = ContractFiles.Comparable(xml.ToString());
        var file = PathsAsStrings(ContractFiles.Comparable(await File.ReadAllTextAsync(ContractFiles.CsdlPath)));
        Assert.True(XNode.DeepEquals(file, fromJson), $"--- file ---\n{file}\n--- from CSDL JSON ---\n{fromJson}");
    }

    /// <summary>
    /// CSDL JSON writes a navigation property path that a term's type declares as a plain string (the type is the
    /// term's), and the reader, without the Capabilities vocabulary, reads it back as a string: the file's paths are
    /// compared as the strings they travel as.
    /// </summary>
    private static XDocument PathsAsStrings(XDocument document)
    {
        XNamespace edm = "http://docs.oasis-open.org/odata/ns/edm";
        foreach (var attribute in document.Descendants(edm + "PropertyValue").Attributes("NavigationPropertyPath").ToList())
        {
            attribute.Parent!.SetAttributeValue("String", attribute.Value);
            attribute.Remove();
        }

        foreach (var path in document.Descendants(edm + "NavigationPropertyPath").ToList())
        {
            path.ReplaceWith(new XElement(edm + "String", path.Value));
        }

        return document;
    }

    // Keeps the validation above honest: were the schema not applied, any document would pass.
    [Fact]
    public async Task A_CSDL_JSON_document_with_a_mistyped_member_is_refused_by_the_schema()
    {
        using var document = await GetCsdlJsonAsync("/v1.0/$metadata?$format=application/json", accept: null);
        var broken = JsonNode.Parse(document.RootElement.GetRawText())!;
        broken["microsoft.graph"]!["notification"]!["$OpenType"] = "yes";

        var result = OasisJsonSchema.Value.Evaluate(JsonDocument.Parse(broken.ToJsonString()).RootElement);

        Assert.False(result.IsValid);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("application/xml")]
    [InlineData("*/*")]
    public async Task Metadata_not_asked_for_as_JSON_is_XML(string? accept)
    {
        using var client = service.ClientWith(token: null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1.0/$metadata");
        if (accept is not null)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<JsonDocument> GetCsdlJsonAsync(string url, string? accept)
    {
        using var client = service.ClientWith(token: null);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept is not null)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        }

        using var response = await client.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url} (Accept: {accept}): {(int)response.StatusCode} {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body);
    }

    private static string? KindOf(JsonElement schema, string typeName) =>
        schema.TryGetProperty(typeName, out var type) ? type.GetProperty("$Kind").GetString() : $"(no type '{typeName}')";
}
