using Portal.Core.Catalog;

namespace Portal.Web.Features.Catalog;

/// <summary>
/// What the service form edits, as typed. Its shape follows the API's field names, so an error keyed
/// <c>ports[0].port</c> or <c>resources.cpuRequest</c> lands under its input (<see cref="FormErrors"/>). Rows are
/// sent as they stand, so an error's index is the row's.
/// </summary>
public sealed class ServiceFormModel
{
    public static readonly IReadOnlyList<string> Protocols = ["TCP", "UDP", "SCTP"];

    public string? Name { get; set; }

    public string? OwningTeam { get; set; }

    public string? Description { get; set; }

    public string? RepositoryUrl { get; set; }

    public string? ImageRepository { get; set; }

    public List<PortRow> Ports { get; } = [];

    public string? HealthCheckPath { get; set; }

    public int? DefaultReplicas { get; set; } = 1;

    public ResourceFields Resources { get; } = new();

    public List<EnvRow> Env { get; } = [];

    public List<SecretRow> Secrets { get; } = [];

    public string? IngressHostPattern { get; set; }

    public LinkFields Links { get; } = new();

    /// <summary>A new service's starting values: the catalog's defaults.</summary>
    public static ServiceFormModel New()
    {
        var model = new ServiceFormModel();
        model.Ports.Add(new PortRow { Name = "http", Port = 8080 });
        model.Resources.Set(ResourceSettings.Default);
        return model;
    }

    public static ServiceFormModel From(ServiceDefinition s)
    {
        var model = new ServiceFormModel
        {
            Name = s.Name,
            OwningTeam = s.OwningTeam,
            Description = s.Description,
            RepositoryUrl = s.RepositoryUrl,
            ImageRepository = s.ImageRepository,
            HealthCheckPath = s.HealthCheckPath,
            DefaultReplicas = s.DefaultReplicas,
            IngressHostPattern = s.IngressHostPattern,
        };
        model.Ports.AddRange(s.Ports.Select(p => new PortRow { Name = p.Name, Port = p.Port, Protocol = p.Protocol }));
        model.Resources.Set(s.Resources);
        model.Env.AddRange(s.Env.Select(e => new EnvRow { Key = e.Key, Value = e.Value }));
        model.Secrets.AddRange(s.Secrets.Select(r => new SecretRow { EnvName = r.EnvName, Secret = r.Secret, Key = r.Key }));
        model.Links.Runbook = s.Links.Runbook;
        model.Links.Dashboard = s.Links.Dashboard;
        return model;
    }

    /// <summary>The variable names entered more than once (a variable has one value).</summary>
    public IReadOnlyList<string> DuplicateEnvKeys() =>
        [.. Env.Where(e => !e.IsBlank).GroupBy(e => e.Key?.Trim() ?? "", StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key)];

    /// <summary>The input for the use case; <paramref name="expectedVersion"/> guards an edit against a newer version.</summary>
    public ServiceInput ToInput(int? expectedVersion) => new()
    {
        Name = Name?.Trim(),
        OwningTeam = OwningTeam,
        Description = Description,
        RepositoryUrl = RepositoryUrl,
        ImageRepository = ImageRepository,
        Ports = [.. Ports.Select(p => new ServicePort(p.Name?.Trim() ?? "", p.Port ?? 0, p.Protocol ?? ""))],
        HealthCheckPath = HealthCheckPath,
        DefaultReplicas = DefaultReplicas,
        Resources = new ResourceSettings(Resources.CpuRequest ?? "", Resources.CpuLimit ?? "", Resources.MemoryRequest ?? "", Resources.MemoryLimit ?? ""),
        Env = Env.Where(e => !e.IsBlank).DistinctBy(e => e.Key?.Trim() ?? "", StringComparer.Ordinal)
            .ToDictionary(e => e.Key?.Trim() ?? "", e => e.Value ?? "", StringComparer.Ordinal),
        Secrets = [.. Secrets.Select(r => new SecretReference(r.EnvName?.Trim() ?? "", r.Secret?.Trim() ?? "", r.Key?.Trim() ?? ""))],
        IngressHostPattern = IngressHostPattern,
        Links = new ServiceLinks(Links.Runbook, Links.Dashboard),
        ExpectedVersion = expectedVersion,
    };
}

public sealed class PortRow
{
    public string? Name { get; set; }

    public int? Port { get; set; }

    public string? Protocol { get; set; } = "TCP";
}

public sealed class EnvRow
{
    public string? Key { get; set; }

    public string? Value { get; set; }

    public bool IsBlank => string.IsNullOrWhiteSpace(Key) && string.IsNullOrEmpty(Value);
}

/// <summary>A variable filled from a Secret's key: names only, the value never passes through Portal.</summary>
public sealed class SecretRow
{
    public string? EnvName { get; set; }

    public string? Secret { get; set; }

    public string? Key { get; set; }
}

public sealed class ResourceFields
{
    public string? CpuRequest { get; set; }

    public string? CpuLimit { get; set; }

    public string? MemoryRequest { get; set; }

    public string? MemoryLimit { get; set; }

    public void Set(ResourceSettings r)
    {
        CpuRequest = r.CpuRequest;
        CpuLimit = r.CpuLimit;
        MemoryRequest = r.MemoryRequest;
        MemoryLimit = r.MemoryLimit;
    }
}

public sealed class LinkFields
{
    public string? Runbook { get; set; }

    public string? Dashboard { get; set; }
}
