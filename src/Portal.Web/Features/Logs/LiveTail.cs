using Portal.Core.Logs;

namespace Portal.Web.Features.Logs;

/// <summary>
/// The live tail's bookkeeping, apart from the page: which polled hits are new, and the shown rows with the new ones on
/// top and never more than a cap (the oldest drop off the bottom), as <c>tail -f</c> in a browser must not grow forever.
/// </summary>
public static class LiveTail
{
    /// <summary>The hits of an oldest-first page that are not shown yet, newest first.</summary>
    public static List<LogHit> Fresh(IReadOnlyList<LogHit> oldestFirst, IReadOnlySet<string> shown)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var fresh = oldestFirst.Where(h => !shown.Contains(h.Id) && seen.Add(h.Id)).ToList();
        fresh.Reverse();
        return fresh;
    }

    /// <summary>Puts <paramref name="newestFirst"/> above <paramref name="rows"/> and keeps the newest <paramref name="max"/>; returns the rows dropped.</summary>
    public static List<LogHit> Prepend(List<LogHit> rows, IReadOnlyList<LogHit> newestFirst, int max)
    {
        rows.InsertRange(0, newestFirst);
        if (rows.Count <= max)
        {
            return [];
        }

        var dropped = rows.GetRange(max, rows.Count - max);
        rows.RemoveRange(max, rows.Count - max);
        return dropped;
    }
}
