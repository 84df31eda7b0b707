using Microsoft.Extensions.Options;
using Portal.Core.Costs;

namespace Portal.Web.Features.Costs;

/// <summary>
/// Runs <see cref="CostSamplingJob"/> once at start and then just after each slot boundary of
/// <see cref="CostsOptions.SampleInterval"/>, on the injected clock, in a scope of its own per run. Slots are claimed
/// in the store, so replicas and restarts never count a slot twice; a slot nobody sampled stays a gap. A failing run
/// is logged once per distinct problem and the next slot is tried all the same: the host never stops the app.
/// </summary>
internal sealed partial class CostSamplingHost(IServiceScopeFactory scopes, IOptions<CostsOptions> options, TimeProvider clock, ILogger<CostSamplingHost> logger)
    : BackgroundService
{
    /// <summary>Woken a little after the boundary, so that a timer firing early never samples the slot just ending.</summary>
    internal static readonly TimeSpan AfterBoundary = TimeSpan.FromSeconds(1);

    private string? _lastProblem;

    /// <summary>How long from <paramref name="now"/> until just after the next multiple of <paramref name="interval"/>.</summary>
    internal static TimeSpan UntilNextSlot(DateTimeOffset now, TimeSpan interval)
    {
        var slotStart = now.UtcTicks - (now.UtcTicks % interval.Ticks);
        return TimeSpan.FromTicks(slotStart + interval.Ticks - now.UtcTicks) + AfterBoundary;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            do
            {
                await RunOnceAsync(stoppingToken);
                await Task.Delay(UntilNextSlot(clock.GetUtcNow(), options.Value.SampleInterval), clock, stoppingToken);
            }
            while (!stoppingToken.IsCancellationRequested);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The app is stopping.
        }
    }

    internal async Task RunOnceAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<CostSamplingJob>().RunAsync(ct);
            if (result.Sampled.Count > 0)
            {
                LogSampled(logger, string.Join(", ", result.Sampled), result.Raised.Count);
            }

            // A cluster that cannot be read is skipped inside the run; the job reports each problem once, when it starts.
            foreach (var (part, problem) in result.NewProblems)
            {
                LogPartFailed(logger, part, problem);
            }

            _lastProblem = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Once per distinct problem: a database that stays down would otherwise fill the log every slot.
            if (ex.Message != _lastProblem)
            {
                LogRunFailed(logger, ex.Message);
                _lastProblem = ex.Message;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sampled the costs of {Clusters}; {Raised} budget notices raised")]
    private static partial void LogSampled(ILogger logger, string clusters, int raised);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not sample the costs of {Part}; its slots stay gaps until it answers: {Problem}")]
    private static partial void LogPartFailed(ILogger logger, string part, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sampling costs failed, the slot stays a gap unless another replica samples it: {Reason}")]
    private static partial void LogRunFailed(ILogger logger, string reason);
}
