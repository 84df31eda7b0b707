using Portal.Core.Alarms;

namespace Portal.Web.Features.Alarms;

/// <summary>
/// Neither AWS accounts nor the sandbox are configured: the board says so in plain words instead of staying silently
/// empty, and everything else in Portal works as before.
/// </summary>
internal sealed class NoAlarmSource : IAlarmSource, IChangeTrail
{
    public const string Message = "No alarm source is configured: list AWS accounts under Aws:Accounts, or enable the sandbox (Kubernetes:Sandbox:Enabled).";

    public Task<AlarmListing> ListAsync(CancellationToken ct) => Task.FromException<AlarmListing>(Unconfigured());

    public Task<IReadOnlyList<AlarmHistoryItem>> HistoryAsync(Alarm alarm, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        Task.FromException<IReadOnlyList<AlarmHistoryItem>>(Unconfigured());

    public Task<MetricSeries?> MetricAsync(Alarm alarm, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        Task.FromException<MetricSeries?>(Unconfigured());

    public Task<TrailPage> LookupAsync(string environment, TrailQuery query, CancellationToken ct) => Task.FromException<TrailPage>(Unconfigured());

    private static AlarmSourceException Unconfigured() => new(AwsFailure.Unavailable, Message);
}
