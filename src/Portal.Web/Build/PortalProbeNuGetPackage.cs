// MSBuild inline task (RoslynCodeTaskFactory): is PackageId/PackageVersion available from the global packages
// folder or from the NuGet feeds restore will use? Only a definite answer (the version listed, or a 404 / a list
// without it on every feed) is cached; a network or authentication error warns and is asked again next build.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
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
    public string ProjectDirectory { get; set; }
    public string RestoreSources { get; set; }
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

        var sources = Sources();
        var answers = sources.Select(s => HasVersion(s, id)).ToList();
        Available = answers.Any(a => a == true);
        var definite = Available || answers.All(a => a == false);
        if (!definite)
        {
            Log.LogMessage(MessageImportance.High, $"Portal: could not tell whether {PackageId} {PackageVersion} is on the NuGet feed ({string.Join(", ", sources)}); using the blazor.web.js fallback for this build.");
        }
        else if (!string.IsNullOrEmpty(CacheFile))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(CacheFile));
            File.WriteAllText(CacheFile, key + (Available ? "true" : "false"));
        }

        return true;
    }

    // The feeds restore will use: RestoreSources when given (as with --source), else the packageSources of the
    // NuGet.Config files from the project's folder upwards and the user's, nearest first, honouring <clear/>.
    private List<string> Sources()
    {
        var explicitSources = (RestoreSources ?? "").Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim()).ToList();
        if (explicitSources.Count > 0)
        {
            return explicitSources;
        }

        var files = new List<string>();
        for (var dir = new DirectoryInfo(ProjectDirectory ?? "."); dir != null; dir = dir.Parent)
        {
            files.AddRange(new[] { "nuget.config", "NuGet.config", "NuGet.Config" }.Select(n => Path.Combine(dir.FullName, n)).Where(File.Exists).Distinct());
        }

        var home = Environment.GetEnvironmentVariable("HOME") ?? Environment.GetEnvironmentVariable("USERPROFILE") ?? "";
        var user = Path.Combine(home, ".nuget", "NuGet", "NuGet.Config");
        if (File.Exists(user))
        {
            files.Add(user);
        }

        var sources = new List<string>();
        foreach (var file in files)
        {
            var packageSources = XDocument.Load(file).Descendants("packageSources").FirstOrDefault();
            if (packageSources == null)
            {
                continue;
            }

            sources.AddRange(packageSources.Elements("add").Select(e => (string)e.Attribute("value")).Where(v => !string.IsNullOrEmpty(v)));
            if (packageSources.Elements("clear").Any())
            {
                break;
            }
        }

        return sources.Count > 0 ? sources.Distinct().ToList() : new List<string> { "https://api.nuget.org/v3/index.json" };
    }

    // true: listed; false: definitely not (404, or a version list without it); null: could not tell.
    private bool? HasVersion(string source, string id)
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
                return null;
            }

            using var response = http.GetAsync(match.Groups[1].Value.TrimEnd('/') + "/" + id + "/index.json").GetAwaiter().GetResult();
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return false;
            }

            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            var versions = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            return versions.IndexOf("\"" + PackageVersion + "\"", StringComparison.OrdinalIgnoreCase) >= 0;
        }
        catch (Exception ex)
        {
            Log.LogMessage(MessageImportance.Normal, $"Probing {source} for {id}: {ex.Message}");
            return null;
        }
    }
}
