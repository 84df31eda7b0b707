using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Core.Alarms;
using Portal.Web.Features.Alarms;

namespace Portal.Web.Tests.Features.Alarms;

public sealed class AlarmPollerTests
{
    private readonly ScriptedAlarmSource _source = new();
    private readonly RecordingLogger _logger = new();

    [Fact]
    public async Task Refresh_RaisesChangedOnlyWhenSomethingChanged()
    {
        using var poller = Poller();
        var raised = 0;
        poller.Changed += _ => raised++;
        _source.Alarms["dev/cart/5xx-rate"] = TestAlarms.Metric("dev/cart/5xx-rate", AlarmState.Ok, DateTimeOffset.UtcNow.AddHours(-1));

        await poller.RefreshAsync(CancellationToken.None);
        await poller.RefreshAsync(CancellationToken.None);
        _source.Alarms["dev/cart/5xx-rate"] = TestAlarms.Metric("dev/cart/5xx-rate", AlarmState.Alarm, DateTimeOffset.UtcNow);
        await poller.RefreshAsync(CancellationToken.None);

        raised.ShouldBe(2, "the first read, then the state change; the identical second read is not news");
        poller.Current.Alarms.Single().State.ShouldBe(AlarmState.Alarm);
    }

    [Fact]
    public async Task AFailingSource_KeepsTheLastAlarms_LogsEachProblemOnce_AndRecovers()
    {
        using var poller = Poller();
        _source.Alarms["dev/cart/5xx-rate"] = TestAlarms.Metric("dev/cart/5xx-rate", AlarmState.Alarm, DateTimeOffset.UtcNow);
        await poller.RefreshAsync(CancellationToken.None);

        _source.Failure = new AlarmSourceException(AwsFailure.Throttled, "CloudWatch is throttling account 'test'.");
        for (var i = 0; i < 5; i++)
        {
            await poller.RefreshAsync(CancellationToken.None);
        }

        poller.Current.Alarms.Count.ShouldBe(1, "the last alarms read stay on the board");
        poller.Current.Problems.ShouldBe(["CloudWatch is throttling account 'test'."]);
        _logger.Messages.Count(m => m.Contains("throttling", StringComparison.Ordinal)).ShouldBe(1, "five failed polls, one log line");

        _source.Failure = null;
        await poller.RefreshAsync(CancellationToken.None);
        _source.Failure = new AlarmSourceException(AwsFailure.Throttled, "CloudWatch is throttling account 'test'.");
        await poller.RefreshAsync(CancellationToken.None);

        _logger.Messages.Count(m => m.Contains("throttling", StringComparison.Ordinal)).ShouldBe(2, "a problem that comes back after a good read is news again");
    }

    private AlarmPoller Poller() => new(_source, TimeProvider.System, Options.Create(new AlarmsOptions()), _logger);

    private sealed class RecordingLogger : ILogger<AlarmPoller>
    {
        public List<string> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Add(formatter(state, exception));
    }
}
