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

    /// <summary>The first table of the section, whose header starts with <c>| Request |</c> and ends with <c>| Rule |</c>.</summary>
    public static MatrixTable Parse(IReadOnlyList<string> lines)
    {
        int start = IndexOf(lines, 0, line => line.Trim() == Section, $"no '{Section}' section");
        int header = IndexOf(lines, start + 1, line => line.StartsWith("| Request |", StringComparison.Ordinal) || line.StartsWith("## ", StringComparison.Ordinal),
            "no table whose header starts with '| Request |'");
        if (lines[header].StartsWith("## ", StringComparison.Ordinal))
        {
            throw new FormatException($"{Section} of docs/security.md has no table whose header starts with '| Request |'.");
        }

        var names = Cells(lines[header]);
        if (names[^1] != "Rule")
        {
            throw new FormatException("The matrix's last column must be 'Rule'.");
        }

        var rows = lines.Skip(header + 2)
            .TakeWhile(line => line.StartsWith('|'))
            .Select(line => Cells(line))
            .Select(cells => cells.Count == names.Count
                ? new MatrixRow(cells[0].Trim('`'), cells.Skip(1).Take(cells.Count - 2).ToList(), cells[^1])
                : throw new FormatException($"A row of the matrix has {cells.Count} cells, the header {names.Count}: {string.Join(" | ", cells)}"))
            .ToList();
        return new MatrixTable(names.Skip(1).Take(names.Count - 2).ToList(), rows);
    }

    /// <summary>The expected answer of one cell.</summary>
    public CellExpectation Cell(string request, string caller)
    {
        var row = Rows.Single(r => r.Request == request);
        return CellExpectation.Parse(row.Cells[Callers.ToList().IndexOf(caller)]);
    }

    private static List<string> Cells(string line) =>
        line.Trim().Trim('|').Split('|').Select(cell => cell.Trim()).ToList();

    private static int IndexOf(IReadOnlyList<string> lines, int from, Func<string, bool> match, string problem)
    {
        for (int i = from; i < lines.Count; i++)
        {
            if (match(lines[i]))
            {
                return i;
            }
        }

        throw new FormatException($"docs/security.md: {problem}.");
    }
}

/// <summary>A cell: a status, and for a 200 whether the answer holds the notification (<c>200</c>) or none of it (<c>200 ∅</c>).</summary>
public sealed record CellExpectation(int Status, bool SeesNotification)
{
    public const string Nothing = "∅";

    public static CellExpectation Parse(string cell)
    {
        string[] parts = cell.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is < 1 or > 2 || !int.TryParse(parts[0], out int status) || (parts.Length == 2 && (parts[1] != Nothing || status != 200)))
        {
            throw new FormatException($"A cell of the matrix must be a status, or '200 {Nothing}': '{cell}'.");
        }

        return new CellExpectation(status, SeesNotification: parts.Length == 1);
    }

    public override string ToString() => SeesNotification ? Status.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{Status} {Nothing}";
}
