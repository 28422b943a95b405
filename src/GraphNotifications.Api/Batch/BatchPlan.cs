using GraphNotifications.Api.Errors;

namespace GraphNotifications.Api.Batch;

/// <summary>
/// Orders a batch by its <c>dependsOn</c>: a request runs after everything it names (a request id, or an atomicity
/// group's name for all of that group), and otherwise in the order sent. An unknown dependency or a cycle refuses
/// the whole batch (400) before anything runs. Forward references are allowed, as Graph allows them.
/// </summary>
public static class BatchPlan
{
    public static (IReadOnlyList<BatchUnit>? Units, GraphError? Error) Create(IReadOnlyList<BatchRequestItem> requests)
    {
        var byId = requests.ToDictionary(r => r.Id, StringComparer.OrdinalIgnoreCase);
        var groups = requests.Where(r => r.AtomicityGroup is not null)
            .GroupBy(r => r.AtomicityGroup!, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.OrdinalIgnoreCase);
        if (groups.Keys.FirstOrDefault(byId.ContainsKey) is { } clash)
        {
            return Refuse($"'{clash}' names both a request and an atomicityGroup; they must differ.");
        }

        // One unit per request without a group, one per group, in the order they first appear.
        var unitKeys = requests.Select(UnitKey).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var members = unitKeys.ToDictionary(k => k, k => requests.Where(r => string.Equals(UnitKey(r), k, StringComparison.OrdinalIgnoreCase)).ToList(), StringComparer.OrdinalIgnoreCase);
        var unitPredecessors = unitKeys.ToDictionary(k => k, _ => new HashSet<string>(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);
        var prerequisites = unitKeys.ToDictionary(k => k, _ => new HashSet<string>(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);
        var requestPredecessors = requests.ToDictionary(r => r.Id, _ => new HashSet<string>(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);

        foreach (var request in requests)
        {
            string unit = UnitKey(request);
            foreach (string dependency in request.DependsOn)
            {
                if (byId.TryGetValue(dependency, out var target))
                {
                    if (ReferenceEquals(target, request))
                    {
                        return Refuse($"Request '{request.Id}' depends on itself.");
                    }

                    if (string.Equals(UnitKey(target), unit, StringComparison.OrdinalIgnoreCase))
                    {
                        requestPredecessors[request.Id].Add(target.Id);
                    }
                    else
                    {
                        unitPredecessors[unit].Add(UnitKey(target));
                        prerequisites[unit].Add(target.Id);
                    }
                }
                else if (groups.TryGetValue(dependency, out var group))
                {
                    if (string.Equals(request.AtomicityGroup, dependency, StringComparison.OrdinalIgnoreCase))
                    {
                        return Refuse($"Request '{request.Id}' depends on its own atomicityGroup '{dependency}'.");
                    }

                    unitPredecessors[unit].Add(UnitKey(group[0]));
                    prerequisites[unit].UnionWith(group.Select(r => r.Id));
                }
                else
                {
                    return Refuse($"Request '{request.Id}' depends on '{dependency}', which is no request id or atomicityGroup of this batch.");
                }
            }
        }

        var unitOrder = Order(unitKeys, k => unitPredecessors[k]);
        if (unitOrder is null)
        {
            return Refuse("The requests' dependsOn form a cycle: no order runs each request after the ones it depends on.");
        }

        var units = new List<BatchUnit>(unitOrder.Count);
        foreach (string key in unitOrder)
        {
            var ordered = Order(members[key].Select(r => r.Id).ToList(), id => requestPredecessors[id]);
            if (ordered is null)
            {
                return Refuse($"The requests of atomicityGroup '{key}' depend on each other in a cycle.");
            }

            units.Add(new BatchUnit(members[key][0].AtomicityGroup, ordered.Select(id => byId[id]).ToList(), prerequisites[key]));
        }

        return (units, null);
    }

    private static string UnitKey(BatchRequestItem request) => request.AtomicityGroup ?? request.Id;

    /// <summary>
    /// The nodes with each after its predecessors, otherwise in the order given (at most 20 nodes: the simple way
    /// is fast enough); null when there is a cycle.
    /// </summary>
    private static List<string>? Order(List<string> nodes, Func<string, IReadOnlySet<string>> predecessors)
    {
        var placed = new List<string>(nodes.Count);
        var done = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (placed.Count < nodes.Count)
        {
            string? next = nodes.FirstOrDefault(n => !done.Contains(n) && predecessors(n).All(done.Contains));
            if (next is null)
            {
                return null;
            }

            placed.Add(next);
            done.Add(next);
        }

        return placed;
    }

    private static (IReadOnlyList<BatchUnit>?, GraphError?) Refuse(string message) => (null, GraphError.BadRequest(message));
}
