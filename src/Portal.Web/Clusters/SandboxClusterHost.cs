using Microsoft.Extensions.Options;
using Portal.Infrastructure.Storage;
using Portal.Sandbox.Kubernetes;

namespace Portal.Web.Clusters;

/// <summary>
/// Starts the embedded sandbox cluster with the app (in <c>$PORTAL_DATA_DIR/sandbox</c>, kubeconfig included)
/// when it is enabled, and stops it (saving its state) with the app.
/// </summary>
public sealed class SandboxClusterHost(IOptions<KubernetesOptions> options, IOptions<DataOptions> data, ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    private readonly TaskCompletionSource<SandboxCluster?> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool Enabled => options.Value.SandboxEnabled;

    public string Name => options.Value.Sandbox.Name;

    /// <summary>The running sandbox, once started (null when it is disabled).</summary>
    public Task<SandboxCluster?> Started => _started.Task;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            _started.TrySetResult(null);
            return;
        }

        try
        {
            var directory = Path.Combine(Path.GetFullPath(data.Value.Directory), "sandbox");
            var cluster = await SandboxCluster.StartAsync(new SandboxClusterOptions(directory) { Port = options.Value.Sandbox.Port }, loggers, TimeProvider.System);
            _started.TrySetResult(cluster);
        }
        catch (Exception ex)
        {
            _started.TrySetException(ex);
            throw;
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (_started.Task.IsCompletedSuccessfully && _started.Task.Result is { } cluster)
        {
            await cluster.DisposeAsync();
        }
    }
}
