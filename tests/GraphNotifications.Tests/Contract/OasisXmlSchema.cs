using System.Xml;
using System.Xml.Schema;

namespace GraphNotifications.Tests.Contract;

/// <summary>The OASIS EDMX/EDM XML schemas (edmx.xsd imports edm.xsd), and validation against them.</summary>
public static class OasisXmlSchema
{
    private static readonly Lazy<XmlSchemaSet> Schemas = new(Load);

    /// <summary>Every error and warning the validation reports, with its line and position; empty when valid.</summary>
    public static IReadOnlyList<string> Validate(Stream document)
    {
        var problems = new List<string>();
        var settings = new XmlReaderSettings
        {
            ValidationType = ValidationType.Schema,
            Schemas = Schemas.Value,
            DtdProcessing = DtdProcessing.Prohibit,
        };
        // Warnings too: an element the schemas do not cover at all is reported only as a warning.
        settings.ValidationFlags |= XmlSchemaValidationFlags.ReportValidationWarnings;
        settings.ValidationEventHandler += (_, e) =>
            problems.Add($"{e.Severity} at {e.Exception.LineNumber}:{e.Exception.LinePosition}: {e.Message}");

        using var reader = XmlReader.Create(document, settings);
        while (reader.Read())
        {
        }

        return problems;
    }

    private static XmlSchemaSet Load()
    {
        var schemas = new XmlSchemaSet { XmlResolver = new XmlUrlResolver() };
        schemas.Add(null, Path.Combine(ContractFiles.OasisCsdl(), "edmx.xsd"));
        schemas.Compile();
        return schemas;
    }
}
