using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Api.Errors;
using GraphNotifications.Tests.Infrastructure;

namespace GraphNotifications.Tests.Authorization;

/// <summary>
/// Every cell of the authorization matrix in <c>docs/security.md</c>: each request against each caller, on a fresh
/// app, users and notification, answers the status the document names, and changes the store only when it succeeds.
/// </summary>
public sealed class AuthorizationMatrixTests(ServiceFactory service) : IClassFixture<ServiceFactory>
{
    public static TheoryData<string, string, string> Cells()
    {
        var table = MatrixTable.FromDocument();
        var cells = new TheoryData<string, string, string>();
        foreach (var row in table.Rows)
        {
            for (int i = 0; i < table.Callers.Count; i++)
            {
                cells.Add(row.Request, table.Callers[i], row.Cells[i]);
            }
        }

        return cells;
    }

    [Fact]
    public void The_documented_matrix_has_a_column_for_each_caller_and_a_row_for_each_request()
    {
        var table = MatrixTable.FromDocument();

        Assert.Equal(MatrixCallers.Names, table.Callers);
        Assert.Equal(MatrixRequests.All.Keys.Order(StringComparer.Ordinal), table.Rows.Select(r => r.Request).Order(StringComparer.Ordinal));
        Assert.All(table.Rows, row => Assert.All(row.Cells, cell => CellExpectation.Parse(cell)));
        Assert.All(table.Rows, row => Assert.False(string.IsNullOrWhiteSpace(row.Rule), $"{row.Request} states no rule"));
    }

    [Fact]
    public void No_cell_lets_a_spoiled_token_in_or_another_app_or_tenant_reach_the_notification()
    {
        var table = MatrixTable.FromDocument();
        string[] spoiled = ["no token", "malformed", "expired", "not yet valid", "wrong audience", "wrong issuer", "bad signature", "alg none"];
        string[] strangers = ["another app", "other tenant"];

        foreach (var row in table.Rows)
        {
            var cells = table.Callers.Zip(row.Cells, (caller, cell) => (Caller: caller, Expected: CellExpectation.Parse(cell))).ToList();
            if (MatrixRequests.All[row.Request].Anonymous)
            {
                // A static page reads no token: everyone gets it, and none of the notification with it.
                Assert.All(cells, c => Assert.True(c.Expected.Status == 200 && !c.Expected.SeesNotification, $"{row.Request} for '{c.Caller}': {c.Expected}"));
                continue;
            }

            Assert.All(cells.Where(c => spoiled.Contains(c.Caller)), c => Assert.Equal(401, c.Expected.Status));
            // A stranger may create its own notifications (or mark its own read), nothing more: it neither reads nor
            // changes this one.
            Assert.All(cells.Where(c => strangers.Contains(c.Caller)), c => Assert.True(
                c.Expected.Status is 201 or 400 or 403 or 404 || (c.Expected.Status is 200 or 204 && !c.Expected.SeesNotification),
                $"{row.Request} for '{c.Caller}': {c.Expected}"));
        }
    }

    [Fact]
    public void A_batch_gives_each_caller_what_the_request_it_carries_gives_sent_alone()
    {
        var rows = MatrixTable.FromDocument().Rows.ToDictionary(row => row.Request, StringComparer.Ordinal);
        var batches = MatrixRequests.All.Where(request => request.Value.Carries is not null).ToList();

        Assert.NotEmpty(batches);
        Assert.All(batches, batch => Assert.Equal(rows[batch.Value.Carries!].Cells, rows[batch.Key].Cells));
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task Each_cell_of_the_matrix_answers_as_documented(string request, string caller, string cell)
    {
        var expected = CellExpectation.Parse(cell);
        var route = MatrixRequests.All[request];
        var ids = MatrixIdentities.Fresh();
        string notificationId = await service.ClientWith(MatrixCallers.Creator(ids)).CreateAsync($"users/{ids.User}/notifications");
        if (route.OnPushEndpoint)
        {
            // The row's subject: app A's endpoint for the user, in place of the notification.
            notificationId = await service.ClientWith(MatrixCallers.Creator(ids)).CreateAsync($"users/{ids.User}/pushEndpoints", Push.PushEndpointTests.Subscription());
        }

        var client = service.ClientWith(MatrixCallers.TokenOf(caller, ids, route.OnMe));
        var before = await StoreSnapshot.TakeAsync(service.Services);

        var answer = await route.SendAsync(client, route.Build(ids, notificationId));

        var after = await StoreSnapshot.TakeAsync(service.Services);
        string changes = after.ChangesSince(before);
        string said = $"{request} by '{caller}': {answer}";
        Assert.True(answer.Status == expected.Status, $"expected {expected}; {said}");
        if (expected.Status >= 400)
        {
            AssertGraphError(answer, said);
            Assert.True(changes.Length == 0, $"a refused request changed the store ({changes}); {said}");
            return;
        }

        AssertEffect(route.Effect, expected, ids, notificationId, answer.Body, before, after, changes, said);
    }

    private static void AssertGraphError(MatrixAnswer answer, string said)
    {
        var error = JsonNode.Parse(answer.Body)!.AsObject();
        Assert.Equal(GraphErrorCodes.ForStatus(answer.Status), error.ErrorCode());
        Assert.False(string.IsNullOrWhiteSpace(error.ErrorMessage()), said);
        Assert.Equal(answer.Header("request-id"), error["error"]!["innerError"]!["request-id"]!.GetValue<string>());
        if (answer.Status == (int)HttpStatusCode.Unauthorized)
        {
            Assert.StartsWith("Bearer", answer.Header("WWW-Authenticate") ?? string.Empty, StringComparison.Ordinal);
        }
    }

    private static void AssertEffect(MatrixEffect effect, CellExpectation expected, MatrixIdentities ids, string notificationId, string body,
        StoreSnapshot before, StoreSnapshot after, string changes, string said)
    {
        switch (effect)
        {
            case MatrixEffect.Read:
                Assert.True(body.Contains(notificationId, StringComparison.Ordinal) == expected.SeesNotification, $"expected {expected}; {said}");
                Assert.True(changes.Length == 0, $"a read changed the store ({changes}); {said}");
                break;
            case MatrixEffect.Count:
                Assert.True(body.Trim() == (expected.SeesNotification ? "1" : "0"), $"expected {expected}; {said}");
                Assert.True(changes.Length == 0, $"a count changed the store ({changes}); {said}");
                break;
            case MatrixEffect.Create:
                string created = JsonNode.Parse(body)!["id"]!.GetValue<string>();
                Assert.True(after.Versions.ContainsKey(created) && !before.Versions.ContainsKey(created), $"not stored; {said}");
                break;
            case MatrixEffect.Update:
                Assert.True(after.Versions[notificationId] > before.Versions[notificationId], $"not changed; {said}");
                break;
            case MatrixEffect.Delete:
                Assert.False(after.Versions.ContainsKey(notificationId), $"not deleted; {said}");
                break;
            case MatrixEffect.Link:
                Assert.Contains(StoreSnapshot.Link(ids.User, notificationId), after.Links);
                break;
            case MatrixEffect.AddRecipients:
                Assert.True(!before.Links.Contains(StoreSnapshot.Link(ids.OtherUser, notificationId)) && after.Links.Contains(StoreSnapshot.Link(ids.OtherUser, notificationId)),
                    $"not linked into the other user's feed; {said}");
                Assert.Contains(StoreSnapshot.Link(ids.User, notificationId), after.Links);
                break;
            case MatrixEffect.Unlink:
                Assert.DoesNotContain(StoreSnapshot.Link(ids.User, notificationId), after.Links);
                Assert.True(after.Versions.ContainsKey(notificationId), $"dismissing deleted the notification; {said}");
                break;
            case MatrixEffect.State:
                string link = StoreSnapshot.Link(ids.User, notificationId);
                if (expected.SeesNotification)
                {
                    Assert.True(after.StateVersions[link] > before.StateVersions[link], $"the state did not change; {said}");
                    Assert.True(after.Versions[notificationId] == before.Versions[notificationId], $"a state change changed the content; {said}");
                }
                else
                {
                    Assert.True(changes.Length == 0, $"expected {expected}, but the store changed ({changes}); {said}");
                }

                break;
            case MatrixEffect.RegisterEndpoint:
                string registered = JsonNode.Parse(body)!["id"]!.GetValue<string>();
                Assert.True(after.PushEndpoints.Contains(registered) && !before.PushEndpoints.Contains(registered), $"not stored; {said}");
                break;
            case MatrixEffect.DeleteEndpoint:
                Assert.DoesNotContain(notificationId, after.PushEndpoints);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(effect));
        }
    }
}
