using System.Text.RegularExpressions;
using Portal.Core.Catalog;
using Portal.Core.Resources;
using Portal.Core.Validation;

namespace Portal.Core.Deployments;

/// <summary>
/// The rules the Kubernetes API server would apply to what a service deploys, checked before anything runs, so a
/// mistake is named at its field instead of failing in a job: DNS-1123 names, environment variable names, ports,
/// quantities and replicas.
/// </summary>
public static partial class WorkloadRules
{
    public const int MaxReplicas = 100;

    /// <summary>A DNS-1123 label (what a Service name must be): 1–63 lower-case letters, digits and '-', starting with a letter.</summary>
    public static string? ServiceName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "is required";
        }

        if (name.Length > 63)
        {
            return $"must be at most 63 characters (got {name.Length})";
        }

        return Dns1035().IsMatch(name) ? null : "must be lower-case letters, digits and '-', start with a letter and end with a letter or digit (DNS-1123)";
    }

    /// <summary>A C identifier-ish name as Kubernetes accepts for env vars: letters, digits, '_', '-', '.', not starting with a digit.</summary>
    public static string? EnvName(string? name) =>
        string.IsNullOrEmpty(name) ? "is required"
        : name.Length > 253 ? "must be at most 253 characters"
        : EnvPattern().IsMatch(name) ? null
        : $"'{name}' is not a valid variable name (letters, digits, '_', '-' and '.', not starting with a digit)";

    public static void Ports(IReadOnlyList<ServicePort>? ports, ValidationErrors errors, string field = "ports")
    {
        if (ports is null || ports.Count == 0)
        {
            errors.Add(field, "at least one port is required");
            return;
        }

        for (var i = 0; i < ports.Count; i++)
        {
            var p = ports[i];
            if (p.Port is < 1 or > 65535)
            {
                errors.Add($"{field}[{i}].port", $"must be between 1 and 65535 (got {p.Port})");
            }

            if (p.Name is not { Length: > 0 and <= 15 } || !PortName().IsMatch(p.Name) || !p.Name.Any(char.IsAsciiLetterLower))
            {
                errors.Add($"{field}[{i}].name", $"'{p.Name}' is not a valid port name (1-15 lower-case letters, digits and '-', with a letter; IANA_SVC_NAME)");
            }

            if (p.Protocol is not ("TCP" or "UDP" or "SCTP"))
            {
                errors.Add($"{field}[{i}].protocol", $"must be TCP, UDP or SCTP (got '{p.Protocol}')");
            }
        }

        foreach (var duplicate in ports.GroupBy(p => p.Name).Where(g => g.Count() > 1))
        {
            errors.Add(field, $"port name '{duplicate.Key}' is used twice");
        }

        foreach (var duplicate in ports.GroupBy(p => (p.Port, p.Protocol)).Where(g => g.Count() > 1))
        {
            errors.Add(field, $"port {duplicate.Key.Port}/{duplicate.Key.Protocol} is listed twice");
        }
    }

    public static void Resources(ResourceSettings? resources, ValidationErrors errors, string field = "resources")
    {
        if (resources is null)
        {
            errors.Add(field, "is required");
            return;
        }

        Check(resources.CpuRequest, "cpuRequest", cpu: true, required: true);
        Check(resources.MemoryRequest, "memoryRequest", cpu: false, required: true);
        Check(resources.CpuLimit, "cpuLimit", cpu: true, required: false);
        Check(resources.MemoryLimit, "memoryLimit", cpu: false, required: false);
        if (Quantity.TryParse(resources.CpuLimit) is { } cpuLimit && Quantity.TryParse(resources.CpuRequest) is { } cpuRequest && cpuLimit < cpuRequest)
        {
            errors.Add($"{field}.cpuLimit", $"must be at least the request ({resources.CpuRequest})");
        }

        if (Quantity.TryParse(resources.MemoryLimit) is { } memoryLimit && Quantity.TryParse(resources.MemoryRequest) is { } memoryRequest && memoryLimit < memoryRequest)
        {
            errors.Add($"{field}.memoryLimit", $"must be at least the request ({resources.MemoryRequest})");
        }

        void Check(string? value, string name, bool cpu, bool required)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                if (required)
                {
                    errors.Add($"{field}.{name}", "is required");
                }

                return;
            }

            if (Quantity.TryParse(value) is not { } q || q <= 0)
            {
                errors.Add($"{field}.{name}", $"'{value}' is not a Kubernetes quantity ({(cpu ? "e.g. 250m or 0.5" : "e.g. 256Mi or 1Gi")})");
            }
        }
    }

    public static void Replicas(int? replicas, ValidationErrors errors, string field = "replicas")
    {
        if (replicas is null or < 0 or > MaxReplicas)
        {
            errors.Add(field, $"must be between 0 and {MaxReplicas}" + (replicas is null ? "" : $" (got {replicas})"));
        }
    }

    public static void Env(IReadOnlyDictionary<string, string>? env, IReadOnlyList<SecretReference>? secrets, ValidationErrors errors, string field = "env")
    {
        foreach (var (name, value) in env ?? new Dictionary<string, string>())
        {
            if (EnvName(name) is { } problem)
            {
                errors.Add(field, problem);
            }
            else if (value.Length > 32_768)
            {
                errors.Add($"{field}.{name}", "must be at most 32768 characters");
            }
        }

        var list = secrets ?? [];
        for (var i = 0; i < list.Count; i++)
        {
            var s = list[i];
            if (EnvName(s.EnvName) is { } problem)
            {
                errors.Add($"secrets[{i}].envName", problem);
            }
            else if (env?.ContainsKey(s.EnvName) == true)
            {
                errors.Add($"secrets[{i}].envName", $"'{s.EnvName}' is also a plain variable; a variable comes from one place");
            }

            if (string.IsNullOrEmpty(s.Secret) || s.Secret.Length > 253 || !Dns1123Subdomain().IsMatch(s.Secret))
            {
                errors.Add($"secrets[{i}].secret", $"'{s.Secret}' is not a valid Secret name (DNS-1123 subdomain)");
            }

            if (string.IsNullOrEmpty(s.Key) || s.Key.Length > 253 || !SecretKey().IsMatch(s.Key))
            {
                errors.Add($"secrets[{i}].key", $"'{s.Key}' is not a valid Secret key (letters, digits, '-', '_' and '.')");
            }
        }
    }

    /// <summary>A host name as an Ingress rule takes it: a DNS-1123 subdomain, optionally with a leading '*.'.</summary>
    public static string? Host(string? host) =>
        string.IsNullOrEmpty(host) ? "is required"
        : host.Length > 253 ? "must be at most 253 characters"
        : Dns1123Subdomain().IsMatch(host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host) ? null
        : $"'{host}' is not a valid host name (lower-case DNS name)";

    /// <summary>An HTTP path for the health check: starts with '/', printable, no spaces.</summary>
    public static string? HttpPath(string? path) =>
        string.IsNullOrEmpty(path) ? null
        : path.Length > 1024 ? "must be at most 1024 characters"
        : path[0] == '/' && path.All(c => c > ' ' && c < 127) ? null
        : $"'{path}' must start with '/' and contain no spaces or control characters";

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?\\z")]
    private static partial Regex Dns1035();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\z")]
    private static partial Regex Dns1123Subdomain();

    [GeneratedRegex("^[-._a-zA-Z][-._a-zA-Z0-9]*\\z")]
    private static partial Regex EnvPattern();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?\\z")]
    private static partial Regex PortName();

    [GeneratedRegex("^[-._a-zA-Z0-9]+\\z")]
    private static partial Regex SecretKey();
}
