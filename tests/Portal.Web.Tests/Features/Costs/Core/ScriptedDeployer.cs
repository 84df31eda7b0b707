using System.Collections.Concurrent;
using Portal.Core.Actions;
using Portal.Core.Deployments;
using Portal.Core.Environments;
using Portal.Core.Provisioning;

namespace Portal.Web.Tests.Features.Costs.Core;

/// <summary>
/// What runs in each environment, as a test sets it; an environment without an entry is on a cluster that does not
/// answer. Only <see cref="LiveAsync"/> is read by the status overview; deploying is not what these tests are about.
/// </summary>
public sealed class ScriptedDeployer : IServiceDeployer
{
    public ConcurrentDictionary<string, IReadOnlyList<LiveService>> Live { get; } = new(StringComparer.Ordinal);

    public static LiveService Service(string name, int desired, int ready) => new(name, $"registry.portal.test/{name}:1.0.0", desired, ready, 100, 128 << 20);

    public Task<IReadOnlyList<LiveService>> LiveAsync(PortalEnvironment environment, CancellationToken ct) =>
        Live.TryGetValue(environment.Name, out var services)
            ? Task.FromResult(services)
            : Task.FromException<IReadOnlyList<LiveService>>(new DependencyUnavailableException($"Cluster {environment.Cluster} did not answer (connection refused)."));

    public IReadOnlyList<PlannedObject> Render(PortalEnvironment environment, string service, DeploySpec spec, int releaseNumber) =>
        throw new NotSupportedException("The status tests do not deploy.");

    public Task<IReadOnlyList<LiveComparison>> CompareAsync(PortalEnvironment environment, string service, IReadOnlyList<PlannedObject> objects, CancellationToken ct) =>
        throw new NotSupportedException("The status tests do not deploy.");

    public Task ApplyAsync(PortalEnvironment environment, string service, IReadOnlyList<PlannedObject> objects, Func<string, Task> log, CancellationToken ct) =>
        throw new NotSupportedException("The status tests do not deploy.");

    public Task<RolloutStatus> RolloutAsync(PortalEnvironment environment, string service, CancellationToken ct) =>
        throw new NotSupportedException("The status tests do not deploy.");
}
