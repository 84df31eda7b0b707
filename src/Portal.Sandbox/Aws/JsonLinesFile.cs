using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portal.Sandbox.Aws;

/// <summary>
/// An append-only file of JSON lines, for what grows by small records (metric minutes, trail events) and would be
/// costly to rewrite whole on every change. A record is one line written at once; a torn last line (a crash mid-write)
/// is skipped on load. <see cref="Rewrite"/> compacts it atomically (temp file, then move), as the cluster's state is saved.
/// </summary>
internal sealed class JsonLinesFile(string path)
{
    private readonly Lock _lock = new();

    public string Path { get; } = path;

    /// <summary>Every record that parses, oldest first; nothing when there is no file.</summary>
    public IReadOnlyList<JsonObject> Load()
    {
        if (!File.Exists(Path))
        {
            return [];
        }

        var records = new List<JsonObject>();
        foreach (var line in File.ReadLines(Path))
        {
            try
            {
                if (JsonNode.Parse(line) is JsonObject record)
                {
                    records.Add(record);
                }
            }
            catch (JsonException)
            {
                // A line cut short by a crash: the records before it are whole.
            }
        }

        return records;
    }

    public void Append(IEnumerable<JsonObject> records)
    {
        var text = new StringBuilder();
        foreach (var record in records)
        {
            text.Append(record.ToJsonString()).Append('\n');
        }

        if (text.Length == 0)
        {
            return;
        }

        lock (_lock)
        {
            File.AppendAllText(Path, text.ToString());
        }
    }

    /// <summary>Replaces the file with exactly <paramref name="records"/>; a reader never sees half a file.</summary>
    public void Rewrite(IEnumerable<JsonObject> records)
    {
        lock (_lock)
        {
            var temp = Path + ".tmp";
            using (var writer = new StreamWriter(temp, append: false, new UTF8Encoding(false)))
            {
                foreach (var record in records)
                {
                    writer.Write(record.ToJsonString());
                    writer.Write('\n');
                }
            }

            File.Move(temp, Path, overwrite: true);
        }
    }
}
