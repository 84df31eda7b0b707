using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace Portal.Infrastructure.Persistence;

/// <summary>One versioned migration script: <c>NNNN_name.sql</c>, embedded per provider.</summary>
public sealed record SchemaScript(int Version, string Name, string Sql)
{
    public string Checksum { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));

    /// <summary>The scripts of one provider, in version order.</summary>
    public static IReadOnlyList<SchemaScript> Load(DatabaseProvider provider) => Load(provider, typeof(SchemaScript).Assembly);

    internal static IReadOnlyList<SchemaScript> Load(DatabaseProvider provider, Assembly assembly)
    {
        var prefix = $"Migrations/{provider}/";
        var scripts = new List<SchemaScript>();
        foreach (var name in assembly.GetManifestResourceNames())
        {
            var resource = name.Replace('\\', '/');
            if (!resource.StartsWith(prefix, StringComparison.Ordinal) || !resource.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            var fileName = resource[prefix.Length..^".sql".Length];
            var separator = fileName.IndexOf('_', StringComparison.Ordinal);
            if (separator <= 0 || !int.TryParse(fileName[..separator], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                throw new InvalidOperationException($"Migration script '{resource}' must be named NNNN_name.sql.");
            }

            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            scripts.Add(new SchemaScript(version, fileName[(separator + 1)..], reader.ReadToEnd()));
        }

        scripts.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 1; i < scripts.Count; i++)
        {
            if (scripts[i].Version == scripts[i - 1].Version)
            {
                throw new InvalidOperationException($"Two {provider} migration scripts share version {scripts[i].Version}.");
            }
        }

        return scripts;
    }
}
