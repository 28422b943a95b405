using System.Security.Cryptography;
using System.Text;
using GraphNotifications.Api.Errors;
using GraphNotifications.Api.Protocol;
using GraphNotifications.Api.Resources;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.OData.Extensions;
using Microsoft.AspNetCore.OData.Query;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace GraphNotifications.Api.Querying;

/// <summary>
/// Answers a collection request: <c>$filter</c>, <c>$orderby</c>, <c>$count</c>, <c>$skip</c> and <c>$top</c> run in
/// the store; the page is read by keyset (its cost does not grow with the page's depth); <c>$select</c> shapes the
/// page in memory; <c>@odata.nextLink</c> carries a <see cref="SkipToken"/> and the caller's other options.
/// </summary>
public static class CollectionPager
{
    public sealed record Page(object Items, GraphError? Error = null);

    /// <param name="beforeShaping">Completes the page's items before <c>$select</c>/<c>$expand</c> shape them.</param>
    public static async Task<Page> ReadAsync<T>(
        HttpRequest request,
        IKeysetCollection<T> collection,
        ODataQueryOptions<T> options,
        CancellationToken cancellationToken,
        Func<List<T>, Task>? beforeShaping = null)
    {
        if (QueryOptionsCheck.Check(request, options) is { } refused)
        {
            return new Page(Array.Empty<T>(), refused);
        }

        int pageSize = PagePreference.Apply(request);
        string fingerprint = Fingerprint(options);
        var token = options.SkipToken is { } skipToken ? SkipToken.Decode(skipToken.RawValue, fingerprint) : null;
        int? top = token is null ? options.Top?.Value : token.RemainingTop;
        int skip = token is null ? options.Skip?.Value ?? 0 : 0;

        IQueryable<T> query;
        List<SortKey>? keys = null;
        if (options.OrderBy is null)
        {
            query = Filter(collection.InDefaultOrder(token?.Values(collection.DefaultPositionTypes)), options);
        }
        else
        {
            keys = SortKey.FromOrderBy(options.OrderBy.OrderByClause, options.Context.Model, typeof(T));
            keys.Add(collection.Tiebreaker);
            query = Filter(collection.Unordered, options);
            if (token is not null)
            {
                query = Keyset.After(query, keys, token.Values([.. keys.Select(k => k.Type)]));
            }

            query = Keyset.Order(query, keys);
        }

        if (skip > 0)
        {
            query = query.Skip(skip);
        }

        int take = Math.Min(pageSize, top ?? int.MaxValue);
        var items = take == 0 ? [] : await RunAsync(() => query.Take(take + 1).ToListAsync(cancellationToken));
        bool more = items.Count > take;
        if (more)
        {
            items.RemoveAt(items.Count - 1);
        }

        var feature = request.ODataFeature();
        if (options.Count?.Value == true)
        {
            feature.TotalCount = await RunAsync(() => Filter(collection.Unordered, options).LongCountAsync(cancellationToken));
        }

        int? remaining = top - items.Count;
        if (more && remaining is null or > 0)
        {
            var last = items[^1]!;
            object?[] position = keys is null ? collection.DefaultPositionOf(last) : [.. keys.Select(k => k.ValueOf(last))];
            feature.NextLink = NextLink(request, new SkipToken(fingerprint, SkipToken.From(position), remaining));
        }

        if (beforeShaping is not null)
        {
            await RunAsync(async () =>
            {
                await beforeShaping(items);
                return true;
            });
        }

        return new Page(Shape(request, items, options));
    }

    /// <summary>The number of items <c>$filter</c> leaves (for <c>…/$count</c>).</summary>
    public static async Task<(long Count, GraphError? Error)> CountAsync<T>(HttpRequest request, IKeysetCollection<T> collection, ODataQueryOptions<T> options, CancellationToken cancellationToken)
    {
        if (QueryOptionsCheck.Check(request, options) is { } refused)
        {
            return (0, refused);
        }

        return (await RunAsync(() => Filter(collection.Unordered, options).LongCountAsync(cancellationToken)), null);
    }

    private static IQueryable<T> Filter<T>(IQueryable<T> query, ODataQueryOptions<T> options) =>
        options.Filter is null ? query : StoreQuery.Bind(() => (IQueryable<T>)options.Filter.ApplyTo(query, QueryLimits.Store));

    private static object Shape<T>(HttpRequest request, List<T> items, ODataQueryOptions<T> options)
    {
        if (options.SelectExpand is null)
        {
            return items;
        }

        if (items is List<Notification> notifications)
        {
            ProjectedETags.Remember(request.HttpContext, notifications);
        }

        request.ODataFeature().SelectExpandClause = options.SelectExpand.SelectExpandClause;
        return StoreQuery.Bind(() => options.SelectExpand.ApplyTo(items.AsQueryable(), QueryLimits.InMemory));
    }

    private static Task<TResult> RunAsync<TResult>(Func<Task<TResult>> query) => StoreQuery.RunAsync(query);

    private static Uri NextLink(HttpRequest request, SkipToken token)
    {
        var query = QueryHelpers.ParseQuery(request.QueryString.Value)
            .Where(p => p.Key is not ("$skiptoken" or "$top" or "$skip"))
            .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v)))
            .Append(new("$skiptoken", token.Encode()));
        return new Uri(UriHelper.BuildAbsolute(request.Scheme, request.Host, request.PathBase, request.Path, QueryString.Create(query)));
    }

    // A token resumes only the query it was made for: the same ordering and the same filter.
    private static string Fingerprint<T>(ODataQueryOptions<T> options) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes($"{options.OrderBy?.RawValue}\n{options.Filter?.RawValue}")), 0, 12);
}

/// <summary>A valid query the store cannot evaluate; answered 501 by the error handler.</summary>
public sealed class QueryNotSupportedException(Exception inner) : Exception(Explanation, inner)
{
    public const string Explanation =
        "The store cannot evaluate this query: simplify the $filter. " + DynamicPropertyTest.Supported;
}
