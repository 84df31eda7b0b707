namespace Portal.Kubernetes.Tests.Sandbox;

/// <summary>A running sandbox behind a <see cref="SandboxProxy"/> (to fail, cut or hold its traffic), with a client of the proxy.</summary>
public sealed class ProxiedSandbox : IAsyncDisposable
{
    private ProxiedSandbox(RunningSandbox sandbox, SandboxProxy proxy)
    {
        Sandbox = sandbox;
        Proxy = proxy;
        ViaProxy = new HttpClient { BaseAddress = new Uri(proxy.Url) };
    }

    public RunningSandbox Sandbox { get; }

    public SandboxProxy Proxy { get; }

    public HttpClient ViaProxy { get; }

    public static async Task<ProxiedSandbox> StartAsync(int historyCapacity = 20_000)
    {
        var sandbox = await RunningSandbox.StartAsync(historyCapacity: historyCapacity);
        return new ProxiedSandbox(sandbox, await SandboxProxy.StartAsync(sandbox.Http()));
    }

    public async ValueTask DisposeAsync()
    {
        ViaProxy.Dispose();
        await Proxy.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
