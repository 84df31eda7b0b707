// MSBuild inline task (RoslynCodeTaskFactory): is PackageId/PackageVersion available from the global packages
// folder or from the feeds in NuGet.config? Network errors count as "not available" so an offline build still works.
using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class PortalProbeNuGetPackage : Task
{
    [Required] public string PackageId { get; set; }
    [Required] public string PackageVersion { get; set; }
    public string PackagesRoot { get; set; }
    public string NuGetConfig { get; set; }
    public string ExtraSources { get; set; }
    public string CacheFile { get; set; }
    [Output] public bool Available { get; set; }

    public override bool Execute()
    {
        var id = PackageId.ToLowerInvariant();
        var key = id + " " + PackageVersion + " ";
        if (!string.IsNullOrEmpty(PackagesRoot) && Directory.Exists(Path.Combine(PackagesRoot, id, PackageVersion)))
        {
            Available = true;
            return true;
        }

        if (!string.IsNullOrEmpty(CacheFile) && File.Exists(CacheFile))
        {
            var cached = File.ReadAllText(CacheFile).Trim();
            if (cached.StartsWith(key, StringComparison.Ordinal))
            {
                Available = cached.EndsWith("true", StringComparison.Ordinal);
                return true;
            }
        }

        var sources = (ExtraSources ?? "").Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries).ToList();
        if (!string.IsNullOrEmpty(NuGetConfig) && File.Exists(NuGetConfig))
        {
            var config = XDocument.Load(NuGetConfig);
            sources.AddRange(config.Descendants("packageSources").Elements("add")
                .Select(e => (string)e.Attribute("value")).Where(v => !string.IsNullOrEmpty(v)));
        }

        Available = sources.Any(s => HasVersion(s, id));
        if (!string.IsNullOrEmpty(CacheFile))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(CacheFile));
            File.WriteAllText(CacheFile, key + (Available ? "true" : "false"));
        }

        Log.LogMessage(MessageImportance.Normal, $"{PackageId} {PackageVersion} available: {Available}");
        return true;
    }

    private bool HasVersion(string source, string id)
    {
        try
        {
            if (!source.StartsWith("http", StringComparison.OrdinalIgnoreCase))
            {
                return Directory.Exists(Path.Combine(source, id, PackageVersion))
                    || File.Exists(Path.Combine(source, id + "." + PackageVersion + ".nupkg"));
            }

            // No System.Text.Json in an inline task's references: the two documents are small and regular enough.
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
            var index = http.GetStringAsync(source).GetAwaiter().GetResult();
            var match = Regex.Match(index, "\"@id\"\\s*:\\s*\"([^\"]+)\"\\s*,\\s*\"@type\"\\s*:\\s*\"PackageBaseAddress/3\\.0\\.0\"");
            if (!match.Success)
            {
                match = Regex.Match(index, "\"@type\"\\s*:\\s*\"PackageBaseAddress/3\\.0\\.0\"\\s*,\\s*\"@id\"\\s*:\\s*\"([^\"]+)\"");
            }

            if (!match.Success)
            {
                return false;
            }

            using var response = http.GetAsync(match.Groups[1].Value.TrimEnd('/') + "/" + id + "/index.json").GetAwaiter().GetResult();
            if (!response.IsSuccessStatusCode)
            {
                return false;
            }

            var versions = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            return versions.IndexOf("\"" + PackageVersion + "\"", StringComparison.OrdinalIgnoreCase) >= 0;
        }
        catch (Exception ex)
        {
            Log.LogMessage(MessageImportance.Normal, $"Probing {source} for {id}: {ex.Message}");
            return false;
        }
    }
}
