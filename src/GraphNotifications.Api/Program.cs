using GraphNotifications.Api.Contract;
using GraphNotifications.Api.Errors;
using GraphNotifications.Api.Identity;
using GraphNotifications.Api.Limits;
using GraphNotifications.Api.Operations;
using GraphNotifications.Api.Protocol;
using GraphNotifications.Api.Storage;

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);

builder.Services.AddGraphErrors();
builder.Services.AddGraphIdentity();
builder.Services.AddGraphLimits();
builder.Services.AddNotificationsStorage(builder.Configuration);
builder.Services.AddGraphOData();
builder.Services.AddGraphHealthChecks();
builder.Services.AddGraphShutdown();

var app = builder.Build();

await app.Services.PrepareNotificationsStoreAsync();

app.UseGraphErrors();
if (app.Environment.IsProduction())
{
    app.UseHsts();
    app.UseHttpsRedirection();
}

app.UseMiddleware<GraphResponseHeadersMiddleware>();
app.UseMiddleware<HostGuard>();
// Routing after the error handling: AspNetCoreOData's matcher parses the path (keys, parameter aliases) and can
// throw. Left implicit, routing runs first of all, and what it throws leaves as an empty 500.
app.UseRouting();
app.UseGraphRequestLimits();
app.UseAuthentication();
app.UseRateLimiter();
app.UseAuthorization();
app.MapControllers();
app.MapGraphHealthChecks();

app.Run();
