using Portal.Core.Deployments;
using Portal.Kubernetes.Model;
using Portal.Web.Features.Logs;

namespace Portal.Web.Tests.Features.Logs;

/// <summary>Which deploys and restarts become markers over the histogram, and what they say and link to.</summary>
public sealed class LogMarkersServiceTests
{
    private static readonly DateTimeOffset From = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = From.AddHours(1);

    private static Release Release(DateTimeOffset? started, DateTimeOffset? finished, ReleaseState state = ReleaseState.Succeeded) => new()
    {
        Id = Guid.Parse("7f1b0c4e-1111-2222-3333-444455556666"),
        Service = "payments-api",
        Environment = "dev",
        Number = 4,
        Spec = new DeploySpec { Image = "registry.test/payments-api:1.4.2" },
        Manifests = [],
        RequestedBy = "dev",
        CreatedAt = (started ?? From).AddSeconds(-5),
        StartedAt = started,
        FinishedAt = finished,
        State = state,
    };

    [Fact]
    public void FromReleases_StartAndFinishInRange_TwoMarkersLinkingToTheRelease()
    {
        var markers = LogMarkersService.FromReleases([Release(From.AddMinutes(5), From.AddMinutes(7), ReleaseState.Failed)], From, To).ToList();

        markers.Select(m => (m.At, m.Kind)).ShouldBe([(From.AddMinutes(5), "deploy"), (From.AddMinutes(7), "deploy")]);
        markers[0].Label.ShouldBe("Deploy started: payments-api #4 (1.4.2) in dev");
        markers[1].Label.ShouldBe("Deploy failed: payments-api #4 (1.4.2) in dev");
        markers.ShouldAllBe(m => m.Link == "deployments/dev/7f1b0c4e-1111-2222-3333-444455556666");
    }

    [Fact]
    public void FromReleases_OutsideTheRangeOrNotStarted_NoMarkers()
    {
        Release[] releases = [Release(From.AddHours(-2), From.AddMinutes(-30)), Release(null, null, ReleaseState.AwaitingApproval)];

        LogMarkersService.FromReleases(releases, From, To).ShouldBeEmpty();
    }

    [Fact]
    public void FromReleases_StartedBeforeFinishedInRange_OnlyTheFinish()
    {
        var markers = LogMarkersService.FromReleases([Release(From.AddMinutes(-3), From.AddMinutes(2))], From, To).ToList();

        markers.Single().At.ShouldBe(From.AddMinutes(2));
        markers.Single().Label.ShouldStartWith("Deploy succeeded:");
    }

    [Fact]
    public void FromPods_LastTerminationAndBackOffEvents_BecomeRestartMarkersLinkingToThePod()
    {
        var pod = new Pod
        {
            Metadata = new ObjectMeta { Name = "api-7d9-x1", Namespace = "dev" },
            Status = new PodStatus
            {
                Phase = "Running",
                ContainerStatuses =
                [
                    new ContainerStatus
                    {
                        Name = "api",
                        Ready = true,
                        RestartCount = 2,
                        LastState = new ContainerState { Terminated = new StateTerminated { ExitCode = 137, Reason = "OOMKilled", FinishedAt = From.AddMinutes(10) } },
                    },
                ],
            },
        };
        var backOff = Event("api-7d9-x1", "BackOff", From.AddMinutes(11), "Back-off restarting failed container");
        var sameInstant = Event("api-7d9-x1", "Killing", From.AddMinutes(10), "Stopping container api");
        var otherReason = Event("api-7d9-x1", "Pulled", From.AddMinutes(12), "Pulled image");
        var outside = Event("api-7d9-x1", "BackOff", From.AddHours(-1), "Back-off");

        var markers = LogMarkersService.FromPods("dev", [pod], [backOff, sameInstant, otherReason, outside], From, To).OrderBy(m => m.At).ToList();

        markers.Select(m => (m.At, m.Kind)).ShouldBe([(From.AddMinutes(10), "restart"), (From.AddMinutes(11), "restart")]);
        markers[0].Label.ShouldBe("Restart: api-7d9-x1/api (OOMKilled, exit code 137)");
        markers[1].Label.ShouldBe("BackOff: api-7d9-x1: Back-off restarting failed container");
        markers.ShouldAllBe(m => m.Link == "environments/dev/pods/api-7d9-x1");
    }

    private static Event Event(string pod, string reason, DateTimeOffset at, string message) => new()
    {
        Metadata = new ObjectMeta { Name = $"{pod}.{reason}", Namespace = "dev" },
        InvolvedObject = new ObjectReference { Kind = "Pod", Name = pod, Namespace = "dev" },
        Reason = reason,
        Message = message,
        LastTimestamp = at,
    };
}
