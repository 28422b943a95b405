using Microsoft.EntityFrameworkCore;

namespace GraphNotifications.Api.Storage;

/// <summary>The store in EF Core's in-memory database (demos and tests): the shared model, created without migrations.</summary>
public sealed class InMemoryNotificationsDbContext(DbContextOptions<InMemoryNotificationsDbContext> options) : NotificationsDbContext(options);
