using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Core.Costs;
using Portal.Web.Features.Costs;
using Portal.Web.Tests.Features.Costs.Core;

namespace Portal.Web.Tests.Features.Costs;

/// <summary>
/// The host wakes just after each slot boundary, never just before it (which would sample the slot ending), and says
/// once when a cluster cannot be sampled — not every five minutes while it stays down.
/// </summary>
public sealed class CostSamplingHostTests
{
    [Theory]
    [InlineData("2026-11-22T09:02:00Z", 5, 180)]
    [InlineData("2026-11-22T09:05:00Z", 5, 300)]
    [InlineData("2026-11-22T09:59:59.5Z", 60, 0.5)]
    public void UntilNextSlot_IsTheTimeToTheNextBoundary_PlusAMargin(string now, int intervalMinutes, double expectedSeconds) =>
        CostSamplingHost.UntilNextSlot(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromMinutes(intervalMinutes))
            .ShouldBe(TimeSpan.FromSeconds(expectedSeconds) + CostSamplingHost.AfterBoundary);

    [Fact]
    public async Task RunOnce_AClusterThatCannotBeRead_IsLoggedOncePerDistinctProblem_AndTheOtherStillSampled()
    {
        using var app = new CostsCoreApp();
        app.Source.Set(ScriptedCostSource.OnePodEach("west", app.Clock.GetUtcNow(), "dev"));
        app.Source.Failures["east"] = "Portal could not read cluster 'east' for costs: connection refused.";
        var logger = new RecordingLogger();
        var host = new CostSamplingHost(app.Get<IServiceScopeFactory>(), app.Get<IOptions<CostsOptions>>(), app.Clock, logger);

        await host.RunOnceAsync(CancellationToken.None);
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        await host.RunOnceAsync(CancellationToken.None);

        logger.Messages.Count(m => m.Contains("east", StringComparison.Ordinal)).ShouldBe(1, "the same problem in the next slot is not news");
        logger.Messages.ShouldNotContain(m => m.Contains("west", StringComparison.Ordinal) && m.Contains("Could not", StringComparison.Ordinal));
        (await app.Get<ICostStore>().SlotsAsync(CostsCoreApp.Start.AddHours(-1), CostsCoreApp.Start.AddHours(1), "west", CancellationToken.None)).Count
            .ShouldBe(2, "the cluster that answers is sampled in both slots");

        app.Source.Failures["east"] = "Portal could not read cluster 'east' for costs: the server answered 401 Unauthorized.";
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        await host.RunOnceAsync(CancellationToken.None);

        logger.Messages.Count(m => m.Contains("east", StringComparison.Ordinal)).ShouldBe(2, "a different problem is news");
        logger.Messages.Last().ShouldContain("401 Unauthorized");
    }

    private sealed class RecordingLogger : ILogger<CostSamplingHost>
    {
        public List<string> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Warning)
            {
                Messages.Add(formatter(state, exception));
            }
        }
    }
}
