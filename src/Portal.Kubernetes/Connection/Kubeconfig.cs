namespace Portal.Kubernetes.Connection;

/// <summary>How to reach one cluster as one user: what a kubeconfig context resolves to.</summary>
public sealed record ClusterConnection(
    string Context,
    Uri Server,
    byte[]? CertificateAuthority,
    bool InsecureSkipTlsVerify,
    string? TlsServerName,
    string? Namespace,
    ClusterCredentials Credentials);

/// <summary>How the user proves who they are.</summary>
public abstract record ClusterCredentials
{
    public sealed record None : ClusterCredentials;

    /// <summary>A bearer token, given inline or read from a file each time (service-account tokens rotate).</summary>
    public sealed record Token(string? Value, string? File) : ClusterCredentials;

    /// <summary>A client certificate and its private key, PEM.</summary>
    public sealed record ClientCertificate(byte[] CertificatePem, byte[] KeyPem) : ClusterCredentials;

    /// <summary>An exec credential plugin (for example <c>aws eks get-token</c>).</summary>
    public sealed record Exec(ExecPlugin Plugin) : ClusterCredentials;
}

/// <summary>The <c>user.exec</c> stanza of a kubeconfig.</summary>
public sealed record ExecPlugin(
    string ApiVersion,
    string Command,
    IReadOnlyList<string> Args,
    IReadOnlyDictionary<string, string> Env,
    bool ProvideClusterInfo,
    string WorkingDirectory);
