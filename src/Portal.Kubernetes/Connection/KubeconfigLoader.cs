using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Portal.Kubernetes.Connection;

/// <summary>
/// Reads a kubeconfig the way kubectl does: a context names a cluster and a user; relative file paths are relative
/// to the kubeconfig's folder; <c>*-data</c> fields are base64. Anything unusable is a
/// <see cref="KubeconfigException"/> naming the file and the problem.
/// </summary>
public static class KubeconfigLoader
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder().IgnoreUnmatchedProperties().Build();

    /// <summary>Resolves <paramref name="context"/> (or the file's current-context) into a connection.</summary>
    public static ClusterConnection Load(string path, string? context = null)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new KubeconfigException(full, "the file does not exist");
        }

        KubeconfigFile file;
        try
        {
            file = Yaml.Deserialize<KubeconfigFile>(File.ReadAllText(full)) ?? new KubeconfigFile();
        }
        catch (YamlException ex)
        {
            throw new KubeconfigException(full, $"not valid YAML at line {ex.Start.Line}, column {ex.Start.Column}");
        }

        return Resolve(file, full, context);
    }

    private static ClusterConnection Resolve(KubeconfigFile file, string path, string? context)
    {
        var folder = Path.GetDirectoryName(path)!;
        var name = context ?? file.CurrentContext;
        if (string.IsNullOrEmpty(name))
        {
            throw new KubeconfigException(path, "no context was named and the file has no current-context");
        }

        var ctx = Find(file.Contexts, name, "context", path);
        var cluster = Find(file.Clusters, ctx.Cluster ?? "", "cluster", path, $" (named by context '{name}')");
        if (!Uri.TryCreate(cluster.Server, UriKind.Absolute, out var server) || server.Scheme is not ("https" or "http"))
        {
            throw new KubeconfigException(path, $"cluster '{ctx.Cluster}' has no valid server URL");
        }

        byte[]? ca = null;
        if (cluster.CertificateAuthorityData is { Length: > 0 } caData)
        {
            ca = Base64(caData, path, $"cluster '{ctx.Cluster}' certificate-authority-data");
        }
        else if (cluster.CertificateAuthority is { Length: > 0 } caFile)
        {
            ca = ReadFile(folder, caFile, path, $"cluster '{ctx.Cluster}' certificate-authority");
        }

        var credentials = string.IsNullOrEmpty(ctx.User)
            ? new ClusterCredentials.None()
            : Credentials(Find(file.Users, ctx.User, "user", path, $" (named by context '{name}')"), ctx.User, folder, path);
        return new ClusterConnection(name, server, ca, cluster.InsecureSkipTlsVerify, cluster.TlsServerName, ctx.Namespace, credentials);
    }

    private static ClusterCredentials Credentials(UserEntry user, string name, string folder, string path)
    {
        if (user.Exec is { } exec)
        {
            if (string.IsNullOrWhiteSpace(exec.Command))
            {
                throw new KubeconfigException(path, $"user '{name}' has an exec plugin without a command");
            }

            if (exec.ApiVersion is not ("client.authentication.k8s.io/v1" or "client.authentication.k8s.io/v1beta1"))
            {
                throw new KubeconfigException(path, $"user '{name}' exec apiVersion '{exec.ApiVersion}' is not client.authentication.k8s.io/v1 or v1beta1");
            }

            var env = (exec.Env ?? []).Where(e => !string.IsNullOrEmpty(e.Name)).ToDictionary(e => e.Name!, e => e.Value ?? "", StringComparer.Ordinal);
            return new ClusterCredentials.Exec(new ExecPlugin(exec.ApiVersion, exec.Command, exec.Args ?? [], env, exec.ProvideClusterInfo, folder));
        }

        if (user.ClientCertificateData is not null || user.ClientCertificate is not null)
        {
            var cert = user.ClientCertificateData is { } certData
                ? Base64(certData, path, $"user '{name}' client-certificate-data")
                : ReadFile(folder, user.ClientCertificate!, path, $"user '{name}' client-certificate");
            var key = user.ClientKeyData is { } keyData
                ? Base64(keyData, path, $"user '{name}' client-key-data")
                : user.ClientKey is { } keyFile
                    ? ReadFile(folder, keyFile, path, $"user '{name}' client-key")
                    : throw new KubeconfigException(path, $"user '{name}' has a client certificate but no client key");
            return new ClusterCredentials.ClientCertificate(cert, key);
        }

        if (user.Token is { Length: > 0 } || user.TokenFile is { Length: > 0 })
        {
            var tokenFile = user.TokenFile is { Length: > 0 } f ? Path.GetFullPath(Path.Combine(folder, f)) : null;
            return new ClusterCredentials.Token(user.Token, tokenFile);
        }

        return new ClusterCredentials.None();
    }

    private static T Find<T>(List<Named<T>>? entries, string name, string kind, string path, string why = "")
        where T : class
    {
        var entry = entries?.FirstOrDefault(e => e.Name == name);
        return entry?.Value ?? throw new KubeconfigException(path, $"there is no {kind} named '{name}'{why}");
    }

    private static byte[] Base64(string value, string path, string what)
    {
        try
        {
            return Convert.FromBase64String(value);
        }
        catch (FormatException)
        {
            throw new KubeconfigException(path, $"{what} is not base64");
        }
    }

    private static byte[] ReadFile(string folder, string file, string path, string what)
    {
        var full = Path.GetFullPath(Path.Combine(folder, file));
        try
        {
            return File.ReadAllBytes(full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new KubeconfigException(path, $"{what} '{full}' cannot be read ({ex.GetType().Name})");
        }
    }
}
