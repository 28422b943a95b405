using System.Linq.Expressions;
using System.Runtime.CompilerServices;

namespace GraphNotifications.Api.Querying;

/// <summary>
/// Keyset paging over any ordering: sort by the keys (nulls placed explicitly, so every store agrees), and seek
/// past the last item read with a predicate on its key values, instead of an OFFSET that would read and discard
/// every earlier page.
/// </summary>
public static class Keyset
{
    public static IQueryable<T> Order<T>(IQueryable<T> query, IReadOnlyList<SortKey> keys)
    {
        var item = Expression.Parameter(typeof(T), "n");
        IOrderedQueryable<T>? ordered = null;
        foreach (var key in keys)
        {
            var access = key.Access(item);
            if (key.IsNullable)
            {
                ordered = Then(ordered ?? query, Expression.Lambda(HasValue(access), item), key.Descending, first: ordered is null);
            }

            ordered = Then(ordered ?? query, Expression.Lambda(access, item), key.Descending, first: ordered is null);
        }

        return ordered ?? query;
    }

    /// <summary>Keeps the items that come after <paramref name="last"/> (the key values of the last item read).</summary>
    public static IQueryable<T> After<T>(IQueryable<T> query, IReadOnlyList<SortKey> keys, IReadOnlyList<object?> last)
    {
        var item = Expression.Parameter(typeof(T), "n");
        Expression? predicate = null;
        Expression earlierEqual = Expression.Constant(true);
        for (int i = 0; i < keys.Count; i++)
        {
            var key = keys[i];
            var access = key.Access(item);
            object? value = last[i];
            if (key.IsNullable)
            {
                // Nulls first ascending, last descending: a null key is passed by a non-null one ascending, and
                // a non-null key by a null one descending.
                Expression nullStep = value is null
                    ? (key.Descending ? Expression.Constant(false) : Expression.NotEqual(access, Null(access.Type)))
                    : (key.Descending ? Expression.Equal(access, Null(access.Type)) : Expression.Constant(false));
                predicate = Or(predicate, And(earlierEqual, nullStep));
            }

            if (value is not null)
            {
                predicate = Or(predicate, And(earlierEqual, Beyond(access, value, key.Descending)));
            }

            earlierEqual = And(earlierEqual, value is null
                ? Expression.Equal(access, Null(access.Type))
                : Expression.Equal(Comparable(access), Comparable(Parameter(value, access.Type))));
        }

        return predicate is null
            ? query.Where(_ => false)
            : query.Where(Expression.Lambda<Func<T, bool>>(predicate, item));
    }

    private static Expression Beyond(Expression access, object value, bool descending)
    {
        var bound = Parameter(value, access.Type);
        if (access.Type == typeof(string))
        {
            var compare = Expression.Call(typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!, access, bound);
            return descending ? Expression.LessThan(compare, Expression.Constant(0)) : Expression.GreaterThan(compare, Expression.Constant(0));
        }

        var left = Comparable(access);
        var right = Comparable(bound);
        return descending ? Expression.LessThan(left, right) : Expression.GreaterThan(left, right);
    }

    // Enums compare by their values (which is how the store keeps them).
    private static Expression Comparable(Expression expression)
    {
        var underlying = Nullable.GetUnderlyingType(expression.Type) ?? expression.Type;
        if (!underlying.IsEnum)
        {
            return expression;
        }

        var number = Enum.GetUnderlyingType(underlying);
        return Expression.Convert(expression, expression.Type == underlying ? number : typeof(Nullable<>).MakeGenericType(number));
    }

    private static Expression HasValue(Expression access) =>
        Expression.Condition(Expression.Equal(access, Null(access.Type)), Expression.Constant(0), Expression.Constant(1));

    private static ConstantExpression Null(Type type) => Expression.Constant(null, type);

    // Values go in as captured variables so that the store sees parameters (one cached plan), not literals.
    private static Expression Parameter(object value, Type type)
    {
        var box = Activator.CreateInstance(typeof(StrongBox<>).MakeGenericType(type), value)!;
        return Expression.Field(Expression.Constant(box), nameof(StrongBox<object>.Value));
    }

    private static Expression And(Expression left, Expression right) =>
        left is ConstantExpression { Value: true } ? right : Expression.AndAlso(left, right);

    private static Expression Or(Expression? left, Expression right) =>
        left is null ? right : Expression.OrElse(left, right);

    private static IOrderedQueryable<T> Then<T>(IQueryable<T> query, LambdaExpression selector, bool descending, bool first)
    {
        string method = (first, descending) switch
        {
            (true, false) => nameof(Queryable.OrderBy),
            (true, true) => nameof(Queryable.OrderByDescending),
            (false, false) => nameof(Queryable.ThenBy),
            (false, true) => nameof(Queryable.ThenByDescending),
        };
        var call = Expression.Call(typeof(Queryable), method, [typeof(T), selector.ReturnType], query.Expression, Expression.Quote(selector));
        return (IOrderedQueryable<T>)query.Provider.CreateQuery<T>(call);
    }
}
