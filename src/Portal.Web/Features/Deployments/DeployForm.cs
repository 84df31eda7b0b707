using Portal.Core.Catalog;
using Portal.Core.Deployments;
using Portal.Core.Validation;

namespace Portal.Web.Features.Deployments;

/// <summary>
/// What the deploy form edits, as typed, and the checks made before the server is asked. The checks are Core's
/// own (<see cref="WorkloadRules"/>, <see cref="ImageReference"/>), keyed by the API's field names, so a message
/// reads the same whether the form or the server finds the mistake; the property names follow those keys, so
/// <c>resources.cpuRequest</c> lands on <see cref="ResourcesCpuRequest"/>.
/// </summary>
public sealed class DeployForm
{
    public string? Service { get; set; }

    public string? Environment { get; set; }

    /// <summary>An image tag (<c>1.4.2</c>) or a digest (<c>sha256:…</c>).</summary>
    public string? Version { get; set; }

    public int? Replicas { get; set; }

    public string? ResourcesCpuRequest { get; set; }

    public string? ResourcesCpuLimit { get; set; }

    public string? ResourcesMemoryRequest { get; set; }

    public string? ResourcesMemoryLimit { get; set; }

    /// <summary>The plain environment variables, one row each; rows left blank are ignored.</summary>
    public List<EnvVarRow> Env { get; set; } = [];

    public bool Ingress { get; set; }

    /// <summary>Wait behind the service's running rollout instead of being refused.</summary>
    public bool Queue { get; set; }

    /// <summary>Takes the starting values the server suggests (the last release here, else the catalog).</summary>
    public void Fill(DeployRequest defaults)
    {
        Service = defaults.Service;
        Version = defaults.Version;
        Replicas = defaults.Replicas;
        ResourcesCpuRequest = defaults.Resources?.CpuRequest;
        ResourcesCpuLimit = defaults.Resources?.CpuLimit;
        ResourcesMemoryRequest = defaults.Resources?.MemoryRequest;
        ResourcesMemoryLimit = defaults.Resources?.MemoryLimit;
        Env = [.. (defaults.Env ?? new Dictionary<string, string>()).OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => new EnvVarRow { Name = e.Key, Value = e.Value })];
        Ingress = defaults.Ingress ?? false;
        Queue = false;
    }

    /// <summary>
    /// Every mistake the form can see without the server, by field. <paramref name="service"/> is the catalog's
    /// definition of <see cref="Service"/> (null when it is not in the catalog): its image repository makes the
    /// image reference the version is checked as, and its secrets must not clash with the variables.
    /// </summary>
    public ValidationErrors Validate(ServiceDefinition? service)
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrWhiteSpace(Service))
        {
            errors.Add("service", "is required");
        }
        else if (service is null)
        {
            errors.Add("service", $"'{Service}' is not in the catalog");
        }

        if (string.IsNullOrWhiteSpace(Environment))
        {
            errors.Add("environment", "is required");
        }

        var version = Version?.Trim();
        if (string.IsNullOrEmpty(version))
        {
            errors.Add("version", "is required (an image tag such as 1.4.2, or a digest sha256:…)");
        }
        else if (service is not null && ImageReference.Parse(ImageReference.ForVersion(service.ImageRepository, version), out _) is { } problem)
        {
            errors.Add("version", $"'{version}' does not make a valid image reference: {ImageReference.ForVersion(service.ImageRepository, version)} {problem}");
        }

        WorkloadRules.Replicas(Replicas, errors);
        WorkloadRules.Resources(Resources(), errors);
        foreach (var twice in Rows().GroupBy(r => r.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add("env", $"'{twice.Key}' is listed twice");
        }

        WorkloadRules.Env(Variables(), service?.Secrets, errors);
        return errors;
    }

    public DeployRequest ToRequest() => new()
    {
        Service = Service?.Trim(),
        Version = Version?.Trim(),
        Replicas = Replicas,
        Resources = Resources(),
        Env = Variables(),
        Ingress = Ingress,
        Queue = Queue,
    };

    private ResourceSettings Resources() => new(
        ResourcesCpuRequest?.Trim() ?? "", ResourcesCpuLimit?.Trim() ?? "", ResourcesMemoryRequest?.Trim() ?? "", ResourcesMemoryLimit?.Trim() ?? "");

    private IEnumerable<(string Name, string Value)> Rows() =>
        Env.Where(r => !string.IsNullOrWhiteSpace(r.Name) || !string.IsNullOrEmpty(r.Value)).Select(r => ((r.Name ?? "").Trim(), r.Value ?? ""));

    private SortedDictionary<string, string> Variables()
    {
        var variables = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in Rows())
        {
            variables[name] = value;
        }

        return variables;
    }
}

/// <summary>One environment variable row of the deploy form.</summary>
public sealed class EnvVarRow
{
    public string? Name { get; set; }

    public string? Value { get; set; }
}
