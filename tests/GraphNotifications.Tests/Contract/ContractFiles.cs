using System.Xml.Linq;

namespace GraphNotifications.Tests.Contract;

/// <summary>The contract as the repository holds it, and the OASIS schemas it is checked against.</summary>
public static class ContractFiles
{
    /// <summary>csdl/GraphNotifications.xml, copied beside the tests by the test project.</summary>
    public static string CsdlPath { get; } = Path.Combine(AppContext.BaseDirectory, "csdl", "GraphNotifications.xml");

    /// <summary>csdl/openapi.json, the description generated from the contract, copied beside the tests likewise.</summary>
    public static string OpenApiPath { get; } = Path.Combine(AppContext.BaseDirectory, "csdl", "openapi.json");

    private static readonly string[] OasisCsdlFolder = ["shared", "reference", "oasis-csdl"];

    /// <summary>
    /// The folder of the OASIS CSDL schemas (edmx.xsd, edm.xsd, csdl.schema.json): <c>shared/reference/oasis-csdl</c>
    /// in the nearest folder above the tests that has one. CI clones the repository with <c>../shared</c> beside it.
    /// </summary>
    public static string OasisCsdl()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine([directory.FullName, .. OasisCsdlFolder]);
            if (File.Exists(Path.Combine(candidate, "edmx.xsd")))
            {
                return candidate;
            }
        }

        Assert.Fail(
            $"The OASIS CSDL schemas were not found: no folder above {AppContext.BaseDirectory} contains " +
            $"{Path.Combine([.. OasisCsdlFolder, "edmx.xsd"])}. Check the repository out with the shared folder beside it (../shared).");
        return string.Empty;
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
