namespace Portal.Core.Deployments;

public enum DiffOp
{
    Same,
    Added,
    Removed,

    /// <summary>A run of unchanged lines left out (its text says how many).</summary>
    Skipped,
}

/// <summary>One line of a diff, with its line numbers on each side (null where the line is not on that side).</summary>
public sealed record DiffLine(DiffOp Op, string Text, int? OldLine, int? NewLine);

/// <summary>
/// A line diff as <c>diff -u</c> shows it: the longest common subsequence of lines, changed lines with
/// <see cref="Context"/> unchanged lines around them, longer unchanged runs collapsed.
/// </summary>
public static class TextDiff
{
    public const int Context = 3;

    /// <summary>Beyond this many lines on a side, the LCS table would be too big: the whole texts are shown as replaced.</summary>
    public const int MaxLines = 4000;

    public static IReadOnlyList<DiffLine> Lines(string? before, string? after, int context = Context)
    {
        var a = Split(before);
        var b = Split(after);
        var full = a.Length > MaxLines || b.Length > MaxLines ? Replace(a, b) : Lcs(a, b);
        return Collapse(full, context);
    }

    public static bool HasChanges(IReadOnlyList<DiffLine> lines) => lines.Any(l => l.Op is DiffOp.Added or DiffOp.Removed);

    /// <summary>The diff as unified-diff text (for the API and for copying).</summary>
    public static string Unified(IReadOnlyList<DiffLine> lines) =>
        string.Join('\n', lines.Select(l => l.Op switch
        {
            DiffOp.Added => "+" + l.Text,
            DiffOp.Removed => "-" + l.Text,
            DiffOp.Skipped => "@@ " + l.Text + " @@",
            _ => " " + l.Text,
        }));

    private static string[] Split(string? text) =>
        string.IsNullOrEmpty(text) ? [] : text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');

    private static List<DiffLine> Replace(string[] a, string[] b) =>
        [.. a.Select((t, i) => new DiffLine(DiffOp.Removed, t, i + 1, null)), .. b.Select((t, i) => new DiffLine(DiffOp.Added, t, null, i + 1))];

    private static List<DiffLine> Lcs(string[] a, string[] b)
    {
        // Common prefix and suffix first: manifests differ in a few lines, so the table stays small.
        var start = 0;
        while (start < a.Length && start < b.Length && a[start] == b[start])
        {
            start++;
        }

        var endA = a.Length;
        var endB = b.Length;
        while (endA > start && endB > start && a[endA - 1] == b[endB - 1])
        {
            endA--;
            endB--;
        }

        var n = endA - start;
        var m = endB - start;
        var table = new int[n + 1, m + 1];
        for (var i = n - 1; i >= 0; i--)
        {
            for (var j = m - 1; j >= 0; j--)
            {
                table[i, j] = a[start + i] == b[start + j] ? table[i + 1, j + 1] + 1 : Math.Max(table[i + 1, j], table[i, j + 1]);
            }
        }

        var result = new List<DiffLine>(a.Length + b.Length);
        for (var k = 0; k < start; k++)
        {
            result.Add(new DiffLine(DiffOp.Same, a[k], k + 1, k + 1));
        }

        int x = 0, y = 0;
        while (x < n || y < m)
        {
            if (x < n && y < m && a[start + x] == b[start + y])
            {
                result.Add(new DiffLine(DiffOp.Same, a[start + x], start + x + 1, start + y + 1));
                x++;
                y++;
            }
            else if (x < n && (y == m || table[x + 1, y] >= table[x, y + 1]))
            {
                // Removals before additions, as diff -u shows a changed line.
                result.Add(new DiffLine(DiffOp.Removed, a[start + x], start + x + 1, null));
                x++;
            }
            else
            {
                result.Add(new DiffLine(DiffOp.Added, b[start + y], null, start + y + 1));
                y++;
            }
        }

        for (var k = 0; k < a.Length - endA; k++)
        {
            result.Add(new DiffLine(DiffOp.Same, a[endA + k], endA + k + 1, endB + k + 1));
        }

        return result;
    }

    private static List<DiffLine> Collapse(List<DiffLine> lines, int context)
    {
        var keep = new bool[lines.Count];
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].Op != DiffOp.Same)
            {
                for (var k = Math.Max(0, i - context); k <= Math.Min(lines.Count - 1, i + context); k++)
                {
                    keep[k] = true;
                }
            }
        }

        var result = new List<DiffLine>();
        var skipped = 0;
        for (var i = 0; i < lines.Count; i++)
        {
            if (keep[i])
            {
                Flush();
                result.Add(lines[i]);
            }
            else
            {
                skipped++;
            }
        }

        Flush();
        return result;

        void Flush()
        {
            if (skipped > 0)
            {
                result.Add(new DiffLine(DiffOp.Skipped, $"{skipped} unchanged line{(skipped == 1 ? "" : "s")}", null, null));
                skipped = 0;
            }
        }
    }
}
