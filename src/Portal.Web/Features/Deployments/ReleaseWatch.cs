using Portal.Core.Actions;
using Portal.Core.Authorization;
using Portal.Core.Deployments;
using Portal.Core.Jobs;
using Portal.Web.Components.Shared;

namespace Portal.Web.Features.Deployments;

/// <summary>
/// One release kept current for its page: the release, where it stands among its service's releases, and the
/// rollout in the cluster. It refreshes when this replica's job engine reports a change to the release's job and,
/// for other replicas' changes, every poll interval while the release is not finished; the rollout is read once
/// more after it finishes, then no more. Every refresh runs on the owner's dispatcher (see <see cref="LiveRefresh"/>).
/// </summary>
public sealed class ReleaseWatch(DeploymentService deployments, JobEvents events, TimeProvider clock, PortalPrincipal who, string environment, Guid id) : IDisposable
{
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(2);

    /// <summary>A rollout's job reports a change for every log line: the release is read again at most this often.</summary>
    public static readonly TimeSpan EventWindow = TimeSpan.FromMilliseconds(250);

    private LiveRefresh? _live;
    private Action? _changed;
    private CoalescingRefresh? _refresh;
    private bool _finalRead;
    private bool _disposed;

    public Guid Id { get; } = id;

    public string Environment { get; } = environment;

    /// <summary>Null when the release does not exist in the environment or the user may not see it.</summary>
    public Release? Release { get; private set; }

    public ReleaseHistory History { get; private set; } = ReleaseHistory.Empty;

    /// <summary>The service's rollout as last read; null before the first read or when the cluster did not answer.</summary>
    public RolloutStatus? Rollout { get; private set; }

    /// <summary>Why the cluster could not be read (the pods shown are then older); null after a read that worked.</summary>
    public string? RolloutProblem { get; private set; }

    /// <summary>Why the last refresh failed (what is shown is then older); null after one that worked.</summary>
    public string? Problem => _refresh?.Problem;

    private CoalescingRefresh Refresh => _refresh ??= new(LoadAsync, "the release", () => _disposed);

    /// <summary>When the release was last read, for the duration of what still runs.</summary>
    public DateTimeOffset Now { get; private set; }

    /// <summary>Polling goes on while this holds: the release runs (or waits), or its last rollout read is still to come.</summary>
    public bool IsLive => Release is { } r && (ReleaseFormat.IsLive(r) || !_finalRead);

    public void Start(Func<Func<Task>, Task> dispatch, Action changed, TimeSpan? pollInterval = null)
    {
        _changed = changed;
        _live = new LiveRefresh(events, clock, dispatch, RefreshAsync, Relevant, () => IsLive && !_disposed, pollInterval ?? DefaultPollInterval, EventWindow);

        // A job that finished between the first read and this subscription raised its last event unseen: read once more.
        _live.Request();
    }

    public void Dispose()
    {
        _disposed = true;
        _live?.Dispose();
    }

    /// <summary>Reads everything again; called while a refresh is in flight, it runs once more after it.</summary>
    public async Task RefreshAsync()
    {
        if (await Refresh.RunAsync() && !_disposed)
        {
            _changed?.Invoke();
        }
    }

    /// <summary>One read of the release, its service's other releases here (when its state changed) and the rollout.</summary>
    public async Task LoadAsync()
    {
        var before = Release;
        var release = await deployments.GetAsync(who, Environment, Id, CancellationToken.None);
        Release = release;
        Now = clock.GetUtcNow();
        if (release is null)
        {
            return;
        }

        if (before is null || before.State != release.State || before.Version != release.Version)
        {
            var siblings = await deployments.ListAsync(who, Environment, release.Service, 500, CancellationToken.None) ?? [];
            History = ReleaseHistory.Of(release, siblings);
        }

        if (ReleaseFormat.IsLive(release) || !_finalRead || Rollout is null)
        {
            await ReadRolloutAsync(release);
            _finalRead = !ReleaseFormat.IsLive(release);
        }
    }

    private async Task ReadRolloutAsync(Release release)
    {
        try
        {
            Rollout = await deployments.LiveRolloutAsync(who, Environment, release.Service, CancellationToken.None);
            RolloutProblem = null;
        }
        catch (DependencyUnavailableException ex)
        {
            RolloutProblem = ex.Message;
        }
    }

    // A queued or awaiting release has no job yet: any job may be the one it gets.
    private bool Relevant(Guid job) => !_disposed && Release is { } r && ReleaseFormat.IsLive(r) && (r.JobId is null || r.JobId == job);
}
