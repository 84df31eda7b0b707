namespace Portal.Kubernetes.Connection;

/// <summary>
/// The connection a pod has to its own cluster: <c>KUBERNETES_SERVICE_HOST</c>/<c>_PORT</c>, the mounted
/// service-account token (re-read on every request, as it rotates), its CA and namespace.
/// </summary>
public static class InClusterConfig
{
    public const string DefaultFolder = "/var/run/secrets/kubernetes.io/serviceaccount";

    public static ClusterConnection Load(string folder = DefaultFolder, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var host = environment("KUBERNETES_SERVICE_HOST");
        var port = environment("KUBERNETES_SERVICE_PORT");
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(port))
        {
            throw new KubeconfigException(folder, "not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set");
        }

        var token = Path.Combine(folder, "token");
        var ca = Path.Combine(folder, "ca.crt");
        if (!File.Exists(token) || !File.Exists(ca))
        {
            throw new KubeconfigException(folder, "the service-account token or ca.crt is missing");
        }

        var ns = Path.Combine(folder, "namespace");
        var hostPart = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;
        return new ClusterConnection(
            "in-cluster",
            new Uri($"https://{hostPart}:{port}"),
            File.ReadAllBytes(ca),
            InsecureSkipTlsVerify: false,
            TlsServerName: null,
            File.Exists(ns) ? File.ReadAllText(ns).Trim() : null,
            new ClusterCredentials.Token(null, token));
    }
}
