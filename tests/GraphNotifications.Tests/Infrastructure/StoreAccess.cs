using System.Linq.Expressions;
using System.Text.Json.Nodes;
using GraphNotifications.Api.Storage;
using GraphNotifications.Api.Storage.ChangeLog;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GraphNotifications.Tests.Infrastructure;

/// <summary>Reads (or writes) an in-process service's own store beside its API, whichever provider it runs on.</summary>
public static class StoreAccess
{
    public static async Task<T> InStoreAsync<T>(this WebApplicationFactory<Program> service, Func<NotificationsDbContext, Task<T>> action)
    {
        await using var scope = service.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<NotificationsDbContext>());
    }

    /// <summary>One app's change-log entries, in log order; <paramref name="which"/> narrows them.</summary>
    public static async Task<List<ChangeLogEntry>> ChangeLogOfAsync(this WebApplicationFactory<Program> service, string appId,
        Expression<Func<ChangeLogEntry, bool>>? which = null)
    {
        // Ordered here: the transaction id is a column on PostgreSQL only.
        var entries = await service.InStoreAsync(db => db.ChangeLog.AsNoTracking().Where(e => e.AppId == appId).Where(which ?? (_ => true)).ToListAsync());
        return [.. entries.OrderBy(e => e.Position)];
    }
}
