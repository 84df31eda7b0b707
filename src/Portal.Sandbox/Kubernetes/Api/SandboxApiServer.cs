using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Sandbox.Kubernetes.Runtime;
using Portal.Sandbox.Kubernetes.Store;

namespace Portal.Sandbox.Kubernetes.Api;

/// <summary>
/// The sandbox's API server: HTTPS on a loopback port with its own CA, bearer-token authentication, discovery and
/// the resource endpoints. Any Kubernetes client (ours, kubectl) talks to it with the kubeconfig it is given.
/// </summary>
internal sealed class SandboxApiServer : IAsyncDisposable
{
    /// <summary>
    /// Who the sandbox's one token is: the portal holds it (kubectl users of the kubeconfig share it), so the audit
    /// stream and the sandbox's CloudTrail name writes by it so.
    /// </summary>
    public const string TokenUser = "portal";

    private readonly WebApplication _app;

    private SandboxApiServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<SandboxApiServer> StartAsync(ObjectStore store, SandboxTimings timings, X509Certificate2 certificate, string token, int port, ILoggerFactory loggers, ApiAudit audit, ApiFault fault, StateFile state)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggers);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        var handler = new KubeApiHandler(store, timings, audit);
        var expected = Encoding.UTF8.GetBytes("Bearer " + token);

        app.Use(async (http, next) =>
        {
            var path = http.Request.Path.Value ?? "";
            var open = path is "/healthz" or "/livez" or "/readyz" or "/version";
            var given = Encoding.UTF8.GetBytes(http.Request.Headers.Authorization.ToString());
            if (!open && !CryptographicOperations.FixedTimeEquals(given, expected))
            {
                await KubeApiHandler.WriteAsync(http, HttpStatusCode.Unauthorized, StatusError.Status(HttpStatusCode.Unauthorized, "Unauthorized", "Unauthorized"));
                return;
            }

            http.Items[KubeApiHandler.UserItem] = TokenUser;
            await next(http);
        });
        app.Use((http, next) => fault.InvokeAsync(http, () => next(http)));

        // A write is answered once it is on disk, as kube-apiserver answers once etcd has it (ADR 0008).
        app.Use((http, next) =>
        {
            if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method))
            {
                http.Response.OnStarting(() => http.Response.StatusCode < 300 ? state.FlushAsync(http.RequestAborted) : Task.CompletedTask);
            }

            return next(http);
        });

        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/livez", () => Results.Text("ok"));
        app.MapGet("/readyz", () => Results.Text("ok"));
        app.MapGet("/version", (HttpContext http) => KubeApiHandler.WriteAsync(http, HttpStatusCode.OK, Discovery.Version()));
        app.MapGet("/api", (HttpContext http) => KubeApiHandler.WriteAsync(http, HttpStatusCode.OK, Discovery.CoreVersions($"{http.Request.Host}")));
        app.MapGet("/api/v1", (HttpContext http) => KubeApiHandler.WriteAsync(http, HttpStatusCode.OK, Discovery.Resources("", "v1")!));
        app.MapGet("/apis", (HttpContext http) => KubeApiHandler.WriteAsync(http, HttpStatusCode.OK, Discovery.Groups()));
        app.MapGet("/apis/{group}", (string group, HttpContext http) => Discovery.GroupNames().Contains(group)
            ? KubeApiHandler.WriteAsync(http, HttpStatusCode.OK, Discovery.Group(group))
            : NotFound(http));
        app.MapGet("/apis/{group}/{version}", (string group, string version, HttpContext http) => Discovery.Resources(group, version) is { } list
            ? KubeApiHandler.WriteAsync(http, HttpStatusCode.OK, list)
            : NotFound(http));
        app.Map("/api/v1/{**rest}", (string rest, HttpContext http) => handler.HandleAsync(http, "", "v1", rest.Split('/')));
        app.Map("/apis/{group}/{version}/{**rest}", (string group, string version, string rest, HttpContext http) => handler.HandleAsync(http, group, version, rest.Split('/')));
        OpenApiDocuments.Map(app);
        app.MapFallback((HttpContext http) => NotFound(http));

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SandboxApiServer(app, new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal)));
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(cts.Token);
        await _app.DisposeAsync();
    }

    private static Task NotFound(HttpContext http) =>
        KubeApiHandler.WriteAsync(http, HttpStatusCode.NotFound, StatusError.Status(HttpStatusCode.NotFound, "NotFound", "the server could not find the requested resource"));
}
