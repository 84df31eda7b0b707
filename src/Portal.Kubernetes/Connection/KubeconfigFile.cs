using YamlDotNet.Serialization;

namespace Portal.Kubernetes.Connection;

// The kubeconfig file as written by kubectl (v1 Config); only what Portal reads. Unknown keys are ignored, as
// kubectl does.
#pragma warning disable CA1812 // Instantiated by YamlDotNet.
internal sealed class KubeconfigFile
{
    [YamlMember(Alias = "current-context")]
    public string? CurrentContext { get; set; }

    [YamlMember(Alias = "clusters")]
    public List<Named<ClusterEntry>>? Clusters { get; set; }

    [YamlMember(Alias = "contexts")]
    public List<Named<ContextEntry>>? Contexts { get; set; }

    [YamlMember(Alias = "users")]
    public List<Named<UserEntry>>? Users { get; set; }
}

internal sealed class Named<T>
    where T : class
{
    [YamlMember(Alias = "name")]
    public string? Name { get; set; }

    [YamlMember(Alias = "cluster")]
    public T? Cluster { get => Value; set => Value = value; }

    [YamlMember(Alias = "context")]
    public T? Context { get => Value; set => Value = value; }

    [YamlMember(Alias = "user")]
    public T? User { get => Value; set => Value = value; }

    [YamlIgnore]
    public T? Value { get; set; }
}

internal sealed class ClusterEntry
{
    [YamlMember(Alias = "server")]
    public string? Server { get; set; }

    [YamlMember(Alias = "certificate-authority-data")]
    public string? CertificateAuthorityData { get; set; }

    [YamlMember(Alias = "certificate-authority")]
    public string? CertificateAuthority { get; set; }

    [YamlMember(Alias = "insecure-skip-tls-verify")]
    public bool InsecureSkipTlsVerify { get; set; }

    [YamlMember(Alias = "tls-server-name")]
    public string? TlsServerName { get; set; }
}

internal sealed class ContextEntry
{
    [YamlMember(Alias = "cluster")]
    public string? Cluster { get; set; }

    [YamlMember(Alias = "user")]
    public string? User { get; set; }

    [YamlMember(Alias = "namespace")]
    public string? Namespace { get; set; }
}

internal sealed class UserEntry
{
    [YamlMember(Alias = "token")]
    public string? Token { get; set; }

    [YamlMember(Alias = "tokenFile")]
    public string? TokenFile { get; set; }

    [YamlMember(Alias = "client-certificate-data")]
    public string? ClientCertificateData { get; set; }

    [YamlMember(Alias = "client-key-data")]
    public string? ClientKeyData { get; set; }

    [YamlMember(Alias = "client-certificate")]
    public string? ClientCertificate { get; set; }

    [YamlMember(Alias = "client-key")]
    public string? ClientKey { get; set; }

    [YamlMember(Alias = "exec")]
    public ExecEntry? Exec { get; set; }
}

internal sealed class ExecEntry
{
    [YamlMember(Alias = "apiVersion")]
    public string? ApiVersion { get; set; }

    [YamlMember(Alias = "command")]
    public string? Command { get; set; }

    [YamlMember(Alias = "args")]
    public List<string>? Args { get; set; }

    [YamlMember(Alias = "env")]
    public List<EnvEntry>? Env { get; set; }

    [YamlMember(Alias = "provideClusterInfo")]
    public bool ProvideClusterInfo { get; set; }
}

internal sealed class EnvEntry
{
    [YamlMember(Alias = "name")]
    public string? Name { get; set; }

    [YamlMember(Alias = "value")]
    public string? Value { get; set; }
}
#pragma warning restore CA1812
