namespace Portal.Core.Costs;

/// <summary>
/// How much of a stretch of time was sampled: the union of the slots' intervals within it, so two clusters sampled in
/// the same five minutes cover five minutes, not ten.
/// </summary>
internal static class SlotCoverage
{
    public static double Hours(IEnumerable<CostSlot> slots, DateTimeOffset from, DateTimeOffset to)
    {
        var covered = 0L;
        var reached = from.UtcTicks;
        foreach (var (start, end) in slots
            .Select(s => (Start: Math.Max(s.Start.UtcTicks, from.UtcTicks), End: Math.Min((s.Start + s.Length).UtcTicks, to.UtcTicks)))
            .Where(s => s.End > s.Start)
            .OrderBy(s => s.Start))
        {
            var newStart = Math.Max(start, reached);
            if (end > newStart)
            {
                covered += end - newStart;
                reached = end;
            }
        }

        return (double)covered / TimeSpan.TicksPerHour;
    }
}
