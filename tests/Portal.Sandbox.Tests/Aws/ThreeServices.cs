using Microsoft.Extensions.Logging.Abstractions;
using Portal.Sandbox.Aws;
using Portal.Sandbox.Kubernetes.Runtime;
using Portal.Sandbox.Tests.Kubernetes;
using Portal.Testing;

namespace Portal.Sandbox.Tests.Aws;

/// <summary>
/// The sandbox's AWS endpoint over a cluster of three Deployments (cart, orders, users) on a clock that stands still:
/// once started, it holds their twelve alarms, all in INSUFFICIENT_DATA, and the twelve PutMetricAlarm events.
/// </summary>
internal sealed class ThreeServices : IAsyncDisposable
{
    private readonly TempDirectory _dir = new("sandbox-aws-services");

    private ThreeServices(SandboxAws aws) => Aws = aws;

    public TestCluster Cluster { get; } = new();

    public SandboxAws Aws { get; private set; }

    public AwsWire Wire => new(Aws.Url, Aws.AccessKeyId, Aws.SecretAccessKey, Cluster.Clock);

    public static async Task<ThreeServices> StartAsync()
    {
        var services = new ThreeServices(default!);
        foreach (var service in new[] { "cart", "orders", "users" })
        {
            services.Cluster.CreateDeployment(service, $"shop/{service}:1.0.0", replicas: 1);
        }

        services.Aws = await SandboxAws.StartAsync(services.Cluster.Store, services._dir.Path, services.Cluster.Clock, SandboxTimings.Fast, NullLoggerFactory.Instance);
        await Eventually(() => services.Aws.Alarms.List().Count == 12 && services.Aws.Trail.Count == 12);
        return services;
    }

    public async ValueTask DisposeAsync()
    {
        await Aws.DisposeAsync();
        await Cluster.DisposeAsync();
        _dir.Dispose();
    }

    private static async Task Eventually(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(25);
        }

        condition().ShouldBeTrue("not reached within 5 s");
    }
}
