// MSBuild inline task (RoslynCodeTaskFactory): copies one managed manifest resource out of an assembly. Inline tasks
// compile against netstandard only, so the assembly is loaded with Assembly.LoadFile (its own load context, nothing
// in it runs) rather than read with System.Reflection.Metadata.
// Writes only when the bytes change, so incremental builds stay incremental.
using System;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class PortalExtractManifestResource : Task
{
    [Required] public string Assembly { get; set; }
    [Required] public string ResourceName { get; set; }
    [Required] public string Destination { get; set; }

    public override bool Execute()
    {
        var assembly = System.Reflection.Assembly.LoadFile(Path.GetFullPath(Assembly));
        using var stream = assembly.GetManifestResourceStream(ResourceName);
        if (stream == null)
        {
            Log.LogError($"{Assembly} has no manifest resource named {ResourceName}.");
            return false;
        }

        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var bytes = copy.ToArray();
        Directory.CreateDirectory(Path.GetDirectoryName(Destination));
        if (!File.Exists(Destination) || !File.ReadAllBytes(Destination).SequenceEqual(bytes))
        {
            File.WriteAllBytes(Destination, bytes);
        }

        Log.LogMessage(MessageImportance.Normal, $"Extracted {ResourceName} ({bytes.Length} bytes) to {Destination}");
        return true;
    }
}
