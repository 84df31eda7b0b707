using Microsoft.AspNetCore.Components;
using Portal.Core.Deployments;

namespace Portal.Web.Features.Deployments;

public sealed partial class RolloutChart
{
    private IReadOnlyList<ChartPoint> _desired = [];
    private IReadOnlyList<ChartPoint> _updated = [];
    private IReadOnlyList<ChartPoint> _ready = [];
    private IReadOnlyList<ChartPoint> _available = [];
    private IReadOnlyList<RolloutSample>? _shown;
    private DateTimeOffset? _shownEnd;

    /// <summary>The release's samples, oldest first: one each time a count changed.</summary>
    [Parameter, EditorRequired]
    public IReadOnlyList<RolloutSample> Samples { get; set; } = [];

    /// <summary>Where the lines end: when the release finished, or now while it runs (the last counts hold until then).</summary>
    [Parameter]
    public DateTimeOffset? End { get; set; }

    protected override void OnParametersSet()
    {
        if (_shown is not null && _shown.SequenceEqual(Samples) && _shownEnd == End)
        {
            return;   // read again unchanged: the chart keeps its data
        }

        _shown = Samples;
        _shownEnd = End;
        _desired = Points(s => s.Desired);
        _updated = Points(s => s.Updated);
        _ready = Points(s => s.Ready);
        _available = Points(s => s.Available);
    }

    /// <summary>One point per sample, and the last value again at <see cref="End"/> so the line runs to the end.</summary>
    private List<ChartPoint> Points(Func<RolloutSample, int> value)
    {
        var points = Samples.Select(s => new ChartPoint(s.At.UtcDateTime, value(s))).ToList();
        if (End is { } end && Samples.Count > 0 && end > Samples[^1].At)
        {
            points.Add(new ChartPoint(end.UtcDateTime, value(Samples[^1])));
        }

        return points;
    }

    /// <summary>One point of a series: when (UTC), and the count from then on.</summary>
    public sealed record ChartPoint(DateTime At, int Value);
}
