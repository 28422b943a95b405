using GraphNotifications.Bench.Baseline;

// The ceiling: the benchmarked requests of the service without OData and EF Core. See bench/README.md.
var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);

builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, BaselineJson.Relaxed));
builder.Services.AddBaselineIdentity();
builder.Services.AddBaselineRateLimiting();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(_ => new FeedDatabase(builder.Configuration.GetConnectionString("Notifications")
    ?? throw new InvalidOperationException("ConnectionStrings:Notifications names the SQLite file (its schema made by the service's migrations).")));
builder.Services.AddSingleton<NotificationWriter>();
builder.Services.AddHostedService<WalCheckpointer>();

var app = builder.Build();

app.UseMiddleware<ResponseHeaders>();
app.UseAuthentication();
app.UseRateLimiter();
app.UseAuthorization();
app.MapFeedEndpoints();

app.Run();
