using GraphNotifications.Api.ApiDescription;
using GraphNotifications.Api.Batch;
using GraphNotifications.Api.Contract;
using GraphNotifications.Api.Delta;
using GraphNotifications.Api.Errors;
using GraphNotifications.Api.FanOut;
using GraphNotifications.Api.Idempotency;
using GraphNotifications.Api.Inbox;
using GraphNotifications.Api.Identity;
using GraphNotifications.Api.Limits;
using GraphNotifications.Api.Operations;
using GraphNotifications.Api.Protocol;
using GraphNotifications.Api.Push;
using GraphNotifications.Api.Storage;
using GraphNotifications.Api.Streams;
using GraphNotifications.Api.Subscriptions;
using GraphNotifications.Api.Subscriptions.Delivery;
using GraphNotifications.Api.Telemetry;

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
builder.AddGraphTelemetry();

builder.Services.AddGraphErrors();
builder.Services.AddGraphIdentity();
builder.Services.AddGraphLimits();
builder.Services.AddGraphFanOut();
builder.Services.AddNotificationsStorage(builder.Configuration);
builder.Services.AddGraphOData();
builder.Services.AddGraphNegotiation();
builder.Services.AddIdempotentRetries();
builder.Services.AddGraphSubscriptions();
builder.Services.AddGraphDelta();
builder.Services.AddChangeNotificationDelivery(builder.Configuration);
builder.Services.AddGraphPush(builder.Configuration);
builder.Services.AddGraphStreams();
builder.Services.AddGraphHealthChecks();
builder.Services.AddGraphShutdown();

var app = builder.Build();

await app.Services.PrepareNotificationsStoreAsync();

// First: $batch runs each of its requests through everything below.
app.UseGraphBatch();
app.UseGraphErrors();
if (app.Environment.IsProduction())
{
    app.UseHsts();
    app.UseHttpsRedirection();
}

app.UseMiddleware<GraphResponseHeadersMiddleware>();
app.UseMiddleware<HostGuard>();
// The inbox page's files, ahead of the API's own rules (its negotiation, its refusal of If-Modified-Since).
app.MapInbox();
app.UseGraphNegotiation();
// Routing after the error handling: AspNetCoreOData's matcher parses the path (keys, parameter aliases) and can
// throw. Left implicit, routing runs first of all, and what it throws leaves as an empty 500.
app.UseRouting();
app.UseGraphRequestLimits();
app.UseAuthentication();
app.UseRateLimiter();
app.UseAuthorization();
app.MapControllers();
app.MapGraphHealthChecks();
app.MapVapidPublicKey();
app.MapApiReference();

app.Run();
