using System.Globalization;
using GraphNotifications.Api.Errors;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace GraphNotifications.Api.Protocol;

/// <summary>
/// The service speaks OData 4.0 (OData 4.01 Part 1, 8.1.5 and 8.2.7):
/// <list type="bullet">
/// <item><c>OData-MaxVersion</c> 4.0 or above is answered in 4.0, the greatest version the service has; below 4.0
/// (or not a version) it is a 400, as there is no version the service could answer in.</item>
/// <item><c>OData-Version</c> names the version of the request's body. The service reads 4.0 bodies only, and the
/// spec lets it fail a request it does not interpret by that version's rules: a body declared as 4.01 (or any
/// other version) is a 400. A request without a body has nothing to interpret and is served, in 4.0.</item>
/// </list>
/// Both headers are then taken off the request: AspNetCoreOData writes its answer in the version they name, so
/// under <c>OData-MaxVersion: 4.01</c> it wrote 4.01's control information (<c>@context</c>, <c>@type</c>) under a
/// response that says <c>OData-Version: 4.0</c>.
/// </summary>
public sealed class ODataVersionGuard(RequestDelegate next)
{
    public const string MaxVersionHeader = "OData-MaxVersion";
    public const string VersionHeader = "OData-Version";

    private static readonly Version Served = new(4, 0);

    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Request.Headers;
        if (Refusal(context) is { } problem)
        {
            return GraphErrorWriter.WriteAsync(context, problem);
        }

        headers.Remove(MaxVersionHeader);
        headers.Remove(VersionHeader);
        return next(context);
    }

    private static GraphError? Refusal(HttpContext context)
    {
        var headers = context.Request.Headers;
        if (headers.ContainsKey(MaxVersionHeader))
        {
            if (Read(headers[MaxVersionHeader]) is not { } max)
            {
                return Unreadable(MaxVersionHeader, headers[MaxVersionHeader]);
            }

            if (max < Served)
            {
                return Refuse(MaxVersionHeader,
                    $"OData-MaxVersion {headers[MaxVersionHeader]} asks for an answer in a version older than 4.0; this service speaks OData 4.0 only. Send OData-MaxVersion: 4.0 (or higher), or leave it out.");
            }
        }

        if (headers.ContainsKey(VersionHeader))
        {
            if (Read(headers[VersionHeader]) is not { } version)
            {
                return Unreadable(VersionHeader, headers[VersionHeader]);
            }

            if (version < Served)
            {
                return Refuse(VersionHeader,
                    $"OData-Version {headers[VersionHeader]} declares a request older than OData 4.0; this service speaks OData 4.0 only. Send OData-Version: 4.0, or leave it out.");
            }

            if (version > Served && HasBody(context))
            {
                return Refuse(VersionHeader,
                    $"OData-Version {headers[VersionHeader]} declares a request body this service does not read: it reads OData 4.0 bodies only. Send the body as OData 4.0 with OData-Version: 4.0, or leave the header out.");
            }
        }

        return null;
    }

    /// <summary>A version as the ABNF writes it: digits, a dot, digits; one value only.</summary>
    private static Version? Read(StringValues values)
    {
        if (values.Count != 1 || values[0] is not { } text)
        {
            return null;
        }

        string[] parts = text.Trim().Split('.');
        return parts.Length == 2
            && parts.All(part => part.Length is > 0 and <= 4 && part.All(char.IsAsciiDigit))
            ? new Version(int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture))
            : null;
    }

    private static bool HasBody(HttpContext context) =>
        context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody
        ?? (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0);

    private static GraphError Unreadable(string header, StringValues values) => Refuse(header,
        $"The {header} header '{Shorten(values.ToString())}' is not a version: send one version number, such as 4.0.");

    private static GraphError Refuse(string header, string message) =>
        GraphError.BadRequest(message, [new GraphErrorDetail(GraphErrorCodes.InvalidValue, "This service speaks OData 4.0.", header)]);

    private static string Shorten(string text) => text.Length <= 50 ? text : text[..47] + "...";
}
