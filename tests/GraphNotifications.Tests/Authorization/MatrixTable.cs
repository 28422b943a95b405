namespace GraphNotifications.Tests.Authorization;

/// <summary>One row of the matrix: a request, the status each caller gets, and the rule behind them.</summary>
public sealed record MatrixRow(string Request, IReadOnlyList<string> Cells, string Rule);

/// <summary>
/// The authorization matrix as <c>docs/security.md</c> states it, read from the document itself: the test runs what
/// the document says, so the two cannot drift apart.
/// </summary>
public sealed record MatrixTable(IReadOnlyList<string> Callers, IReadOnlyList<MatrixRow> Rows)
{
    public const string Section = "## Authorization";

    public static string DocumentPath => Path.Combine(AppContext.BaseDirectory, "docs", "security.md");

    public static MatrixTable FromDocument() => Parse(File.ReadAllLines(DocumentPath));

    /// <summary>The table of the section whose header starts with <c>| Request |</c> and ends with <c>| Rule |</c>.</summary>
    public static MatrixTable Parse(IReadOnlyList<string> lines)
    {
        var section = lines
            .SkipWhile(line => line.Trim() != Section)
            .Skip(1)
            .TakeWhile(line => !line.StartsWith("## ", StringComparison.Ordinal))
            .ToList();
        var table = section
            .SkipWhile(line => !line.StartsWith("| Request |", StringComparison.Ordinal))
            .TakeWhile(line => line.StartsWith('|'))
            .Select(Cells)
            .ToList();
        if (table.Count < 3 || table[0][^1] != "Rule")
        {
            throw new FormatException($"docs/security.md: '{Section}' has no table whose header is '| Request | <callers> | Rule |'.");
        }

        var names = table[0];
        var rows = table.Skip(2)
            .Select(cells => cells.Count == names.Count
                ? new MatrixRow(cells[0].Trim('`'), cells[1..^1], cells[^1])
                : throw new FormatException($"A row of the matrix has {cells.Count} cells, its header {names.Count}: {string.Join(" | ", cells)}"))
            .ToList();
        return new MatrixTable(names[1..^1], rows);
    }

    private static List<string> Cells(string line) =>
        line.Trim().Trim('|').Split('|').Select(cell => cell.Trim()).ToList();
}

/// <summary>A cell: a status, and for a 200 whether the answer holds the notification (<c>200</c>) or none of it (<c>200 ∅</c>).</summary>
public sealed record CellExpectation(int Status, bool SeesNotification)
{
    public const string Nothing = "∅";

    public static CellExpectation Parse(string cell)
    {
        string[] parts = cell.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is < 1 or > 2 || !int.TryParse(parts[0], out int status) || (parts.Length == 2 && (parts[1] != Nothing || status is not (200 or 204))))
        {
            throw new FormatException($"A cell of the matrix must be a status, '200 {Nothing}' or '204 {Nothing}': '{cell}'.");
        }

        return new CellExpectation(status, SeesNotification: parts.Length == 1);
    }

    public override string ToString() => SeesNotification ? Status.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{Status} {Nothing}";
}
