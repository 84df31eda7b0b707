using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Portal.Sandbox.Kubernetes.Api;
using Portal.Sandbox.Kubernetes.Controllers;
using Portal.Sandbox.Kubernetes.Runtime;
using Portal.Sandbox.Kubernetes.Seeding;
using Portal.Sandbox.Kubernetes.Store;

namespace Portal.Sandbox.Kubernetes;

/// <summary>Where the sandbox keeps its state and how it behaves.</summary>
public sealed record SandboxClusterOptions(string Directory)
{
    /// <summary>0: any free port (the kubeconfig is rewritten on every start).</summary>
    public int Port { get; init; }

    public SandboxTimings Timings { get; init; } = new();

    /// <summary>Seed the demo organisation on first start.</summary>
    public bool Seed { get; init; } = true;

    public int HistoryCapacity { get; init; } = 20_000;

    public TimeSpan SaveInterval { get; init; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// The embedded Kubernetes cluster: the store, its controllers and its API server, with its state, CA, token and a
/// kubeconfig in <see cref="SandboxClusterOptions.Directory"/>. State survives restarts.
/// </summary>
public sealed class SandboxCluster : IAsyncDisposable
{
    private readonly SandboxApiServer _api;
    private readonly StateFile _state;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _saver;
    private readonly ILogger _logger;
    private int _disposed;

    private SandboxCluster(ObjectStore store, ClusterControllers controllers, SandboxApiServer api, StateFile state, string directory, ILogger logger, TimeSpan saveInterval)
    {
        Store = store;
        Controllers = controllers;
        _api = api;
        _logger = logger;
        _state = state;
        KubeconfigPath = Path.Combine(directory, "kubeconfig");
        _saver = Task.Run(() => SaveLoopAsync(saveInterval, _stop.Token));
    }

    public const string ContextName = "sandbox";

    public ObjectStore Store { get; }

    public ClusterControllers Controllers { get; }

    /// <summary>Every write the API server serves, for the sandbox's CloudTrail (<c>SandboxAws</c>).</summary>
    public ApiAudit Audit { get; private init; } = new();

    /// <summary>Switches the API server into failing as a real one does (etcd down, load shed): for fault tests.</summary>
    public ApiFault Fault { get; private init; } = new();

    public Uri Server => _api.Url;

    public string KubeconfigPath { get; }

    public static async Task<SandboxCluster> StartAsync(SandboxClusterOptions options, ILoggerFactory loggers, TimeProvider? clock = null)
    {
        var logger = loggers.CreateLogger("Portal.Sandbox.Kubernetes");
        Directory.CreateDirectory(options.Directory);
        var store = new ObjectStore(clock ?? TimeProvider.System, options.HistoryCapacity);
        store.Admission.Add(new LimitRanger());
        store.Admission.Add(new ResourceQuotaAdmission());

        var statePath = Path.Combine(options.Directory, "state.json");
        if (File.Exists(statePath))
        {
            Load(store, statePath);
        }
        else if (options.Seed)
        {
            DemoCluster.Seed(store);
        }

        var controllers = new ClusterControllers(store, options.Timings, logger);
        controllers.Start();
        var (ca, server) = Certificates(options.Directory);
        var token = Token(options.Directory);
        var audit = new ApiAudit();
        var fault = new ApiFault();
        var state = new StateFile(store, statePath);
        var api = await SandboxApiServer.StartAsync(store, options.Timings, server, token, options.Port, loggers, audit, fault, state);
        var cluster = new SandboxCluster(store, controllers, api, state, options.Directory, logger, options.SaveInterval) { Audit = audit, Fault = fault };
        WriteKubeconfig(cluster.KubeconfigPath, api.Url, ca, token);
        cluster.Save();
        logger.LogInformation("Sandbox Kubernetes API at {Server}; kubeconfig {Kubeconfig}", api.Url, cluster.KubeconfigPath);
        return cluster;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        await _saver.ConfigureAwait(false);
        await _api.DisposeAsync();
        await Controllers.DisposeAsync();
        Save();
        _stop.Dispose();
    }

    /// <summary>
    /// Writes the state file now. Writes served by the API are saved before they are answered (<see cref="StateFile"/>);
    /// the loop saves what the controllers change (pod phases, replica counts), which they redo after a restart anyway.
    /// </summary>
    public void Save() => _state.Save();

    private async Task SaveLoopAsync(TimeSpan interval, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, ct);
                await _state.FlushAsync(ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (IOException ex)
            {
                _logger.LogWarning(ex, "Could not save the sandbox cluster's state; trying again");
            }
        }
    }

    private static void Load(ObjectStore store, string path)
    {
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var objects = new List<(ResourceType, JsonObject)>();
        foreach (var entry in J.Objects(root["objects"]))
        {
            var type = ResourceTypes.All.FirstOrDefault(t => t.QualifiedName == J.Str(entry, "resource"));
            if (type is not null && entry["object"] is JsonObject o)
            {
                objects.Add((type, (JsonObject)o.DeepClone()));
            }
        }

        store.Restore(J.Long(root, "revision") ?? 0, objects);
    }

    private static string Token(string directory)
    {
        var path = Path.Combine(directory, "token");
        if (!File.Exists(path))
        {
            WriteOwnerOnly(path, Encoding.ASCII.GetBytes(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_')));
        }

        return File.ReadAllText(path).Trim();
    }

    /// <summary>A CA of the sandbox's own and a server certificate for 127.0.0.1 and localhost signed by it.</summary>
    private static (X509Certificate2 Ca, X509Certificate2 Server) Certificates(string directory)
    {
        var caPath = Path.Combine(directory, "ca.crt");
        var serverPath = Path.Combine(directory, "server.pfx");
        if (!File.Exists(caPath) || !File.Exists(serverPath))
        {
            using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var caRequest = new CertificateRequest("CN=portal-sandbox-ca", caKey, HashAlgorithmName.SHA256);
            caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            var now = DateTimeOffset.UtcNow.AddMinutes(-5);
            using var ca = caRequest.CreateSelfSigned(now, now.AddYears(10));

            using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var serverRequest = new CertificateRequest("CN=portal-sandbox-apiserver", serverKey, HashAlgorithmName.SHA256);
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(System.Net.IPAddress.Loopback);
            san.AddDnsName("localhost");
            serverRequest.CertificateExtensions.Add(san.Build());
            serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
            using var signed = serverRequest.Create(ca, now, now.AddYears(10), RandomNumberGenerator.GetBytes(16));
            using var withKey = signed.CopyWithPrivateKey(serverKey);
            File.WriteAllText(caPath, ca.ExportCertificatePem());
            WriteOwnerOnly(serverPath, withKey.Export(X509ContentType.Pfx));
        }

        return (X509Certificate2.CreateFromPem(File.ReadAllText(caPath)), X509CertificateLoader.LoadPkcs12FromFile(serverPath, null));
    }

    private static void WriteKubeconfig(string path, Uri server, X509Certificate2 ca, string token)
    {
        var caData = Convert.ToBase64String(Encoding.ASCII.GetBytes(ca.ExportCertificatePem()));
        var yaml = $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: {ContextName}
              cluster:
                server: {server.GetLeftPart(UriPartial.Authority)}
                certificate-authority-data: {caData}
            users:
            - name: sandbox-admin
              user:
                token: {token}
            contexts:
            - name: {ContextName}
              context:
                cluster: {ContextName}
                user: sandbox-admin
                namespace: default
            current-context: {ContextName}

            """;
        WriteOwnerOnly(path, Encoding.UTF8.GetBytes(yaml));
    }

    /// <summary>Writes a file that holds a credential readable by its owner only, from its creation on.</summary>
    private static void WriteOwnerOnly(string path, byte[] content)
    {
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var file = new FileStream(path, options);
        file.Write(content);
    }
}
