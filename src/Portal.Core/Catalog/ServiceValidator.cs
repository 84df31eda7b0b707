using Portal.Core.Deployments;
using Portal.Core.Validation;

namespace Portal.Core.Catalog;

/// <summary>Turns a person's input into a valid <see cref="ServiceDefinition"/>, or names every field that is wrong.</summary>
public static class ServiceValidator
{
    public static ServiceDefinition Create(ServiceInput input, string by, DateTimeOffset now) =>
        Build(input, null, by, now);

    public static ServiceDefinition Update(ServiceDefinition current, ServiceInput input, string by, DateTimeOffset now) =>
        Build(input with { Name = current.Name }, current, by, now);

    private static ServiceDefinition Build(ServiceInput input, ServiceDefinition? current, string by, DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        if (WorkloadRules.ServiceName(input.Name) is { } nameProblem)
        {
            errors.Add("name", nameProblem);
        }

        if (Text.Required(input.OwningTeam, 100) is { } teamProblem)
        {
            errors.Add("owningTeam", teamProblem);
        }

        if (input.Description is { Length: > 2000 })
        {
            errors.Add("description", $"must be at most 2000 characters (got {input.Description.Length})");
        }

        Url(input.RepositoryUrl, "repositoryUrl", errors);
        Url(input.Links?.Runbook, "links.runbook", errors);
        Url(input.Links?.Dashboard, "links.dashboard", errors);

        var repository = input.ImageRepository?.Trim();
        if (repository is { Length: > 0 } && (repository.Contains('@', StringComparison.Ordinal) || repository.LastIndexOf(':') > repository.LastIndexOf('/')))
        {
            errors.Add("imageRepository", "must not include a tag or digest (those are chosen per deployment)");
        }
        else if (ImageReference.RepositoryError(repository) is { } imageProblem)
        {
            errors.Add("imageRepository", imageProblem);
        }

        WorkloadRules.Ports(input.Ports, errors);
        if (WorkloadRules.HttpPath(input.HealthCheckPath) is { } pathProblem)
        {
            errors.Add("healthCheckPath", pathProblem);
        }

        WorkloadRules.Replicas(input.DefaultReplicas ?? 1, errors, "defaultReplicas");
        WorkloadRules.Resources(input.Resources ?? ResourceSettings.Default, errors);
        WorkloadRules.Env(input.Env, input.Secrets, errors);
        if (!string.IsNullOrWhiteSpace(input.IngressHostPattern))
        {
            var sample = input.IngressHostPattern.Replace("{service}", "svc", StringComparison.Ordinal).Replace("{environment}", "env", StringComparison.Ordinal);
            if (WorkloadRules.Host(sample) is { } hostProblem)
            {
                errors.Add("ingressHostPattern", $"{hostProblem.Replace("'" + sample + "'", "'" + input.IngressHostPattern + "'", StringComparison.Ordinal)}; only {{service}} and {{environment}} may be used as placeholders");
            }
        }

        if (!errors.IsEmpty)
        {
            throw new ValidationFailedException(errors);
        }

        return new ServiceDefinition
        {
            Name = input.Name!,
            OwningTeam = input.OwningTeam!.Trim(),
            Description = input.Description?.Trim() ?? "",
            RepositoryUrl = Blank(input.RepositoryUrl),
            ImageRepository = repository!,
            Ports = input.Ports!,
            HealthCheckPath = Blank(input.HealthCheckPath),
            DefaultReplicas = input.DefaultReplicas ?? 1,
            Resources = Normalize(input.Resources ?? ResourceSettings.Default),
            Env = new SortedDictionary<string, string>(input.Env?.ToDictionary() ?? [], StringComparer.Ordinal),
            Secrets = input.Secrets ?? [],
            IngressHostPattern = Blank(input.IngressHostPattern),
            Links = new ServiceLinks(Blank(input.Links?.Runbook), Blank(input.Links?.Dashboard)),
            CreatedBy = current?.CreatedBy ?? by,
            CreatedAt = current?.CreatedAt ?? now,
            UpdatedBy = by,
            UpdatedAt = now,
            Version = (current?.Version ?? 0) + 1,
        };
    }

    /// <summary>The fields that differ between two versions, by their API names.</summary>
    public static IReadOnlyList<string> Changes(ServiceDefinition before, ServiceDefinition after)
    {
        var changed = new List<string>();
        void Check(string field, object? a, object? b)
        {
            if (!Equals(a, b))
            {
                changed.Add(field);
            }
        }

        Check("owningTeam", before.OwningTeam, after.OwningTeam);
        Check("description", before.Description, after.Description);
        Check("repositoryUrl", before.RepositoryUrl, after.RepositoryUrl);
        Check("imageRepository", before.ImageRepository, after.ImageRepository);
        Check("ports", string.Join(",", before.Ports), string.Join(",", after.Ports));
        Check("healthCheckPath", before.HealthCheckPath, after.HealthCheckPath);
        Check("defaultReplicas", before.DefaultReplicas, after.DefaultReplicas);
        Check("resources", before.Resources, after.Resources);
        Check("env", string.Join(",", before.Env.Select(e => $"{e.Key}={e.Value}")), string.Join(",", after.Env.Select(e => $"{e.Key}={e.Value}")));
        Check("secrets", string.Join(",", before.Secrets), string.Join(",", after.Secrets));
        Check("ingressHostPattern", before.IngressHostPattern, after.IngressHostPattern);
        Check("links", before.Links, after.Links);
        return changed;
    }

    private static ResourceSettings Normalize(ResourceSettings r) =>
        new(r.CpuRequest.Trim(), r.CpuLimit?.Trim() ?? "", r.MemoryRequest.Trim(), r.MemoryLimit?.Trim() ?? "");

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static void Url(string? value, string field, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return;
        }

        if (value.Length > 500 || !Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            errors.Add(field, $"'{value}' is not an http(s) URL");
        }
    }
}
