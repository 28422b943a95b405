namespace GraphNotifications.Api.Querying;

/// <summary>
/// A collection a client pages through. Its default order is its own (a feed is newest first, read along an
/// index); any other order comes from <c>$orderby</c> over <see cref="Unordered"/>.
/// </summary>
public interface IKeysetCollection<T>
{
    IQueryable<T> Unordered { get; }

    /// <summary>The key that ends every ordering, so that no two items tie.</summary>
    SortKey Tiebreaker { get; }

    /// <summary>The types of the default order's position.</summary>
    IReadOnlyList<Type> DefaultPositionTypes { get; }

    /// <summary>The collection in its default order, after <paramref name="position"/> when given.</summary>
    IQueryable<T> InDefaultOrder(object?[]? position);

    object?[] DefaultPositionOf(T item);
}
