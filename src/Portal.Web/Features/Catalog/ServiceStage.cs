using Portal.Core.Deployments;

namespace Portal.Web.Features.Catalog;

/// <summary>How a service's pods are doing in one environment, as its badge colours it.</summary>
public enum StageHealth
{
    /// <summary>Nothing of the service runs there.</summary>
    NotDeployed,

    /// <summary>Every desired replica is ready.</summary>
    Healthy,

    /// <summary>Some, not all, desired replicas are ready.</summary>
    Partial,

    /// <summary>None of its replicas (more than zero desired) is ready.</summary>
    Down,

    /// <summary>Deployed with zero replicas.</summary>
    ScaledToZero,

    /// <summary>The environment's cluster did not answer.</summary>
    Unknown,
}

/// <summary>
/// One service in one environment: what runs there now (when the cluster answered), its latest release and its
/// latest successful one (what a promotion from here would take).
/// </summary>
public sealed record ServiceStage(PortalEnvironment Environment, LiveService? Live, Release? Latest, Release? LastSucceeded, bool Unreachable)
{
    /// <summary>The image tag running; when nothing runs (or the cluster is silent), the latest release's version.</summary>
    public string? Version => Live is { } live ? Tag(live.Image) : Latest?.Spec.Version;

    public StageHealth Health => Unreachable ? StageHealth.Unknown
        : Live is not { } live ? StageHealth.NotDeployed
        : live.Desired == 0 ? StageHealth.ScaledToZero
        : live.Ready >= live.Desired ? StageHealth.Healthy
        : live.Ready == 0 ? StageHealth.Down
        : StageHealth.Partial;

    public string HealthText => Health switch
    {
        StageHealth.NotDeployed => "not deployed",
        StageHealth.Unknown => "unknown",
        StageHealth.ScaledToZero => "scaled to 0",
        _ => $"{Live!.Ready}/{Live.Desired} ready",
    };

    /// <summary>The health as a stable key (<c>not-deployed</c>, <c>healthy</c>, <c>scaled-to-zero</c>…), for styling and tests.</summary>
    public string HealthKey => Health switch
    {
        StageHealth.NotDeployed => "not-deployed",
        StageHealth.ScaledToZero => "scaled-to-zero",
        var other => other.ToString().ToLowerInvariant(),
    };

    public BadgeStyle HealthStyle => Health switch
    {
        StageHealth.Healthy => BadgeStyle.Success,
        StageHealth.Partial => BadgeStyle.Warning,
        StageHealth.Down => BadgeStyle.Danger,
        StageHealth.ScaledToZero => BadgeStyle.Info,
        _ => BadgeStyle.Base,
    };

    /// <summary>The latest release, when it is not simply what runs: in progress, waiting, failed or refused.</summary>
    public Release? Pending => Latest is { State: not ReleaseState.Succeeded } latest ? latest : null;

    /// <summary>Every visible Ready environment (in tier order) for <paramref name="service"/>, from the map alone.</summary>
    public static IReadOnlyList<ServiceStage> For(ServiceMap map, string service) =>
        [.. map.Environments.Select(e => new ServiceStage(e, LiveIn(map, e.Name, service), map.Latest.GetValueOrDefault((service, e.Name)), null, map.Unreachable.Contains(e.Name)))];

    /// <summary>The same with the service's release history (newest first), which also gives each stage's last success.</summary>
    public static IReadOnlyList<ServiceStage> For(ServiceMap map, string service, IReadOnlyList<Release> history) =>
        [.. map.Environments.Select(e => new ServiceStage(e, LiveIn(map, e.Name, service),
            history.FirstOrDefault(r => r.Environment == e.Name),
            history.FirstOrDefault(r => r.Environment == e.Name && r.State == ReleaseState.Succeeded),
            map.Unreachable.Contains(e.Name)))];

    private static LiveService? LiveIn(ServiceMap map, string environment, string service) =>
        map.Live.GetValueOrDefault(environment)?.FirstOrDefault(s => s.Service == service);

    private static string Tag(string image) => ImageReference.TryParse(image, out var reference) ? reference.Version : image;
}
