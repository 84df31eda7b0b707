using System.Text.RegularExpressions;
using Portal.Core.Environments;

namespace Portal.Kubernetes.Provisioning;

/// <summary>A tier's extra manifests: YAML files with <c>{{ name }}</c> placeholders, read once at start.</summary>
public sealed partial class ManifestTemplates
{
    public static readonly IReadOnlyList<string> Placeholders = ["environment", "namespace", "tier", "team", "costCentre", "cluster"];

    private readonly Dictionary<string, List<(string File, string Text)>> _byFolder;

    private ManifestTemplates(Dictionary<string, List<(string File, string Text)>> byFolder) => _byFolder = byFolder;

    public static ManifestTemplates Empty { get; } = new([]);

    /// <summary>Reads <c>all/</c> and one folder per tier. Throws FormatException naming the file and the unknown placeholder.</summary>
    public static ManifestTemplates Load(string? directory)
    {
        var byFolder = new Dictionary<string, List<(string, string)>>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(directory) || !Directory.Exists(directory))
        {
            return new(byFolder);
        }

        foreach (var folder in new[] { "all" }.Concat(Enum.GetValues<EnvironmentTier>().Select(t => t.ToWire())))
        {
            var path = Path.Combine(directory, folder);
            if (!Directory.Exists(path))
            {
                continue;
            }

            var files = Directory.EnumerateFiles(path).Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
            foreach (var file in files)
            {
                var text = File.ReadAllText(file);
                foreach (Match m in Placeholder().Matches(text))
                {
                    if (!Placeholders.Contains(m.Groups[1].Value))
                    {
                        throw new FormatException($"{folder}/{Path.GetFileName(file)}: unknown placeholder '{{{{ {m.Groups[1].Value} }}}}'; use {string.Join(", ", Placeholders)}.");
                    }
                }

                (byFolder.TryGetValue(folder, out var list) ? list : byFolder[folder] = []).Add(($"{folder}/{Path.GetFileName(file)}", text));
            }
        }

        return new(byFolder);
    }

    /// <summary>The rendered text of each template that applies to the environment's tier, <c>all/</c> first.</summary>
    public IReadOnlyList<(string File, string Yaml)> Render(PortalEnvironment environment)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["environment"] = environment.Name,
            ["namespace"] = environment.Namespace,
            ["tier"] = environment.Tier.ToWire(),
            ["team"] = LabelValue.From(environment.OwningTeam),
            ["costCentre"] = LabelValue.From(environment.CostCentre),
            ["cluster"] = environment.Cluster,
        };
        return [.. new[] { "all", environment.Tier.ToWire() }
            .SelectMany(folder => _byFolder.TryGetValue(folder, out var list) ? list : [])
            .Select(t => (t.File, Placeholder().Replace(t.Text, m => values[m.Groups[1].Value])))];
    }

    [GeneratedRegex(@"\{\{\s*([A-Za-z]+)\s*\}\}")]
    private static partial Regex Placeholder();
}

/// <summary>Free text (a team's name) as a Kubernetes label value: lower case, [a-z0-9-_.], at most 63.</summary>
public static class LabelValue
{
    public static string From(string text)
    {
        var chars = text.Trim().ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').ToArray();
        var value = new string(chars).Trim('-', '_', '.');
        return value.Length > 63 ? value[..63].TrimEnd('-', '_', '.') : value;
    }
}
