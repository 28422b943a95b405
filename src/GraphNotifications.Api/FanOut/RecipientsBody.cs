using System.Text.Json;
using System.Text.Json.Nodes;
using GraphNotifications.Api.Errors;
using GraphNotifications.Api.Identity;
using GraphNotifications.Api.Protocol;

namespace GraphNotifications.Api.FanOut;

/// <summary>
/// The parameters of <c>addRecipients</c> and <c>removeRecipients</c>, OData's body of an action call:
/// <c>{"userIds": ["…", …]}</c>, up to <see cref="FanOutOptions.MaxRecipientsPerCall"/> ids, each a user id
/// (<see cref="UserIds"/>). Repeats are allowed (a call names a set). Anything else is a 400 that names each id, or
/// each member, that is wrong (the first <see cref="MaxDetails"/>).
/// </summary>
public static class RecipientsBody
{
    public const string UserIdsName = "userIds";

    /// <summary>Problems one answer lists at most: a body of 10,000 bad ids gets a readable answer, not a 10,000-entry one.</summary>
    public const int MaxDetails = 20;

    private const int ShownIdLength = 64;

    /// <summary>The user ids the body names, in the order sent, or the error that says what is wrong.</summary>
    public static async Task<(IReadOnlyList<string>? UserIds, GraphError? Error)> ReadAsync(HttpRequest request, string action, int maxRecipients,
        CancellationToken cancellationToken)
    {
        if (JsonBody.Unsupported(request) is { } unsupported)
        {
            return (null, unsupported);
        }

        string expected = $"{action}'s parameters as a JSON object: {{\"{UserIdsName}\": [\"…\", …]}}";
        var (node, error) = await JsonBody.ReadAsync(request, expected, cancellationToken);
        if (error is not null)
        {
            return (null, error);
        }

        if (node is not JsonObject body)
        {
            return (null, GraphError.BadRequest($"The body of {action} is a JSON object: {{\"{UserIdsName}\": [\"…\", …]}}."));
        }

        var problems = new List<GraphErrorDetail>();
        JsonArray? ids = null;
        bool named = false;
        foreach (var (name, value) in body)
        {
            if (name != UserIdsName)
            {
                problems.Add(new(GraphErrorCodes.UnknownProperty, $"{action} has no parameter '{name}'; its one parameter is '{UserIdsName}'.", name));
            }
            else if (value is JsonArray array)
            {
                (named, ids) = (true, array);
            }
            else
            {
                named = true;
                problems.Add(new(GraphErrorCodes.InvalidType, $"'{UserIdsName}' is an array of user ids (strings), not {Kind(value)}.", UserIdsName));
            }
        }

        if (!named)
        {
            problems.Add(new(GraphErrorCodes.MissingProperty, $"{action} needs '{UserIdsName}': the ids of the users, as an array of strings.", UserIdsName));
        }

        if (ids is not null && ids.Count > maxRecipients)
        {
            return (null, GraphError.BadRequest(
                $"'{UserIdsName}' names {ids.Count} users; one call of {action} names at most {maxRecipients}. Split the list into several calls.",
                [new(GraphErrorCodes.InvalidValue, $"At most {maxRecipients} user ids per call.", UserIdsName)]));
        }

        var users = new List<string>(ids?.Count ?? 0);
        int wrong = 0;
        for (int i = 0; ids is not null && i < ids.Count; i++)
        {
            string target = $"{UserIdsName}/{i}";
            if (ids[i] is JsonValue value && value.GetValueKind() == JsonValueKind.String)
            {
                string id = value.GetValue<string>();
                if (UserIds.Problem(id) is { } problem)
                {
                    wrong++;
                    if (problems.Count < MaxDetails)
                    {
                        problems.Add(new(GraphErrorCodes.InvalidValue, $"{Shown(id)} (at {target}) is not a valid user id: {problem}.", target));
                    }
                }
                else
                {
                    users.Add(id);
                }
            }
            else
            {
                wrong++;
                if (problems.Count < MaxDetails)
                {
                    problems.Add(new(GraphErrorCodes.InvalidType, $"Each user id is a string; {target} is {Kind(ids[i])}.", target));
                }
            }
        }

        if (problems.Count == 0)
        {
            return (users, null);
        }

        int listed = problems.Count(p => p.Target?.StartsWith(UserIdsName + "/", StringComparison.Ordinal) == true);
        string more = wrong > listed ? $" ({wrong} ids are wrong; the first {listed} are listed)" : string.Empty;
        return (null, GraphError.BadRequest($"The body of {action} is not valid{more}: {problems[0].Message}", problems));
    }

    /// <summary>An id as a message quotes it: whole when short, else its start.</summary>
    private static string Shown(string id) =>
        id.Length <= ShownIdLength ? $"'{id}'" : $"'{id[..ShownIdLength]}…' ({id.Length} characters)";

    private static string Kind(JsonNode? value) => value switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "an array",
        _ => value.GetValueKind() switch
        {
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a Boolean",
            JsonValueKind.Null => "null",
            _ => "a string",
        },
    };
}
