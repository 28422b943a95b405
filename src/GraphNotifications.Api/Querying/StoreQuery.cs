using Microsoft.OData;

namespace GraphNotifications.Api.Querying;

/// <summary>
/// A client's query options turned into a query the store runs, and run: the one place that tells the client's
/// faults (400) and the store's limits (501) from the service's own (500).
/// </summary>
public static class StoreQuery
{
    /// <summary>
    /// Binds the client's options into an expression. The URI parser accepts some expressions whose operand types
    /// the binder then cannot combine (<c>targetHostName in (2147483648)</c>); AspNetCoreOData's binders throw what
    /// .NET's expression builder throws for those. The expression is the client's: a 400.
    /// </summary>
    public static T Bind<T>(Func<T> bind)
    {
        try
        {
            return bind();
        }
        catch (Exception ex) when (IsRefusalOfClientQuery(ex))
        {
            throw new ODataException("The query cannot be applied: an operand's type does not fit its operator or function.", ex);
        }
    }

    /// <summary>
    /// How ODataLib's parser and AspNetCoreOData's binders fail on some client input they should have refused with
    /// an <see cref="ODataException"/> (which passes through as it is): <c>cast($it,-1)</c> is an
    /// ArgumentNullException in the parser, an <c>in</c> list of the wrong type an ArgumentException in the binder.
    /// </summary>
    public static bool IsRefusalOfClientQuery(Exception ex) =>
        ex is not ODataException
        && ex is ArgumentException or InvalidOperationException or NotSupportedException or FormatException or InvalidCastException or OverflowException;

    /// <summary>
    /// Runs a query built from the client's options. One the store cannot translate is the service's limitation, not
    /// the client's fault: 501, not 500. Arithmetic the client wrote that fails on the values (<c>div 0</c>; SQL
    /// makes it null, the in-memory store throws) is the client's: 400.
    /// </summary>
    public static async Task<TResult> RunAsync<TResult>(Func<Task<TResult>> query)
    {
        try
        {
            return await query();
        }
        catch (InvalidOperationException ex) when (ex.Message.Contains("could not be translated", StringComparison.Ordinal))
        {
            throw new QueryNotSupportedException(ex);
        }
        catch (ArithmeticException ex)
        {
            throw new ODataException($"The $filter cannot be evaluated on these notifications: {ex.Message}", ex);
        }
    }
}
