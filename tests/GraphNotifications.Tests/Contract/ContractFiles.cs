using System.Xml.Linq;

namespace GraphNotifications.Tests.Contract;

/// <summary>The contract as the repository holds it, and the OASIS schemas it is checked against.</summary>
public static class ContractFiles
{
    /// <summary>csdl/GraphNotifications.xml, copied beside the tests by the test project.</summary>
    public static string CsdlPath { get; } = Path.Combine(AppContext.BaseDirectory, "csdl", "GraphNotifications.xml");

    /// <summary>csdl/openapi.json, the description generated from the contract, copied beside the tests likewise.</summary>
    public static string OpenApiPath { get; } = Path.Combine(AppContext.BaseDirectory, "csdl", "openapi.json");

    /// <summary>
    /// The folder of the OASIS CSDL schemas (edmx.xsd, edm.xsd, csdl.schema.json), copied beside the tests by the test
    /// project from the pinned npm package odata-csdl (tools/oasis-csdl, restored by the build).
    /// </summary>
    public static string OasisCsdl()
    {
        string folder = Path.Combine(AppContext.BaseDirectory, "oasis-csdl");
        if (!File.Exists(Path.Combine(folder, "edmx.xsd")))
        {
            Assert.Fail(
                $"The OASIS CSDL schemas are not beside the tests ({folder}): the test project copies them from " +
                "tools/oasis-csdl/node_modules/odata-csdl/schemas after running npm ci there. Build the tests again.");
        }

        return folder;
    }

    /// <summary>
    /// A CSDL XML document as a comparison sees it: comments and insignificant whitespace dropped, everything else
    /// (element order, attribute order and spelling, namespace declarations) kept.
    /// </summary>
    public static XDocument Comparable(string xml)
    {
        var document = XDocument.Parse(xml, LoadOptions.None);
        document.DescendantNodes().OfType<XComment>().ToList().ForEach(comment => comment.Remove());
        return document;
    }
}
