using System.Xml;
using Microsoft.OData.Edm;
using Microsoft.OData.Edm.Csdl;
using Microsoft.OData.Edm.Validation;

namespace GraphNotifications.Api.Contract;

/// <summary>
/// The EDM model, read from <c>csdl/GraphNotifications.xml</c> (embedded in this assembly). The document is the
/// source of truth: no model is built by convention, and start-up fails if the document is invalid or any of its
/// types cannot be bound to a CLR type.
/// </summary>
public static class CsdlContract
{
    public const string Namespace = "microsoft.graph";
    public const string Alias = "graph";
    public const string ResourceName = "GraphNotifications.csdl.xml";

    /// <summary>The contract exactly as it is written, for anyone who wants the bytes.</summary>
    public static Stream OpenDocument() =>
        typeof(CsdlContract).Assembly.GetManifestResourceStream(ResourceName)
        ?? throw new InvalidOperationException($"The contract '{ResourceName}' is not embedded in the assembly.");

    public static IEdmModel Load()
    {
        using var stream = OpenDocument();
        using var reader = XmlReader.Create(stream);
        if (!CsdlReader.TryParse(reader, out IEdmModel model, out IEnumerable<EdmError> parseErrors))
        {
            throw new InvalidOperationException("csdl/GraphNotifications.xml is not valid CSDL: " + Describe(parseErrors));
        }

        if (!model.Validate(out IEnumerable<EdmError> validationErrors))
        {
            throw new InvalidOperationException("csdl/GraphNotifications.xml is not a valid model: " + Describe(validationErrors));
        }

        ClrTypeBinding.Bind(model);
        return model;
    }

    private static string Describe(IEnumerable<EdmError> errors) =>
        string.Join("; ", errors.Select(e => $"{e.ErrorLocation}: {e.ErrorMessage}"));
}
