using System.Text;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// Secret values a test planted, and the text of every channel the portal wrote to, searched for them. A channel may
/// be allowed to hold a secret that is rightfully stored there (the cluster's own store holds its Secrets), and only
/// that one. A finding names the secret and the channel and shows the text around it with the value masked.
/// </summary>
public sealed class LeakScan
{
    private readonly Dictionary<string, string> _secrets = new(StringComparer.Ordinal);
    private readonly List<Channel> _channels = [];

    public int ChannelCount => _channels.Count;

    /// <summary>Remembers a planted value under a label; short values would match by chance, so they are refused.</summary>
    public string Plant(string label, string value)
    {
        value.Length.ShouldBeGreaterThanOrEqualTo(10, $"the planted value '{label}' is too short to be unique");
        _secrets[label] = value;
        return value;
    }

    /// <summary>Adds a channel's text; <paramref name="rightfulHolderOf"/> names the planted secrets it may hold.</summary>
    public void Add(string channel, string text, params string[] rightfulHolderOf) =>
        _channels.Add(new Channel(channel, text, [.. rightfulHolderOf]));

    /// <summary>Adds every file under <paramref name="directory"/> as its own channel, its bytes read as Latin-1 (binary-safe).</summary>
    public int AddFiles(string directory, Func<string, string[]> rightfulHolderOf)
    {
        var files = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).ToList();
        foreach (var file in files)
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            var relative = Path.GetRelativePath(directory, file);
            Add($"file {relative}", Encoding.Latin1.GetString(memory.ToArray()), rightfulHolderOf(relative));
        }

        return files.Count;
    }

    /// <summary>Every place a planted value was found where it does not belong.</summary>
    public IReadOnlyList<string> Leaks()
    {
        var leaks = new List<string>();
        foreach (var channel in _channels)
        {
            foreach (var (label, value) in _secrets.Where(s => !channel.RightfulHolderOf.Contains(s.Key)))
            {
                var at = channel.Text.IndexOf(value, StringComparison.Ordinal);
                if (at >= 0)
                {
                    var start = Math.Max(0, at - 120);
                    var context = channel.Text.Substring(start, Math.Min(channel.Text.Length - start, value.Length + 240));
                    leaks.Add($"{label} in {channel.Name}: …{Mask(context)}…");
                }
            }
        }

        return leaks;
    }

    private string Mask(string text)
    {
        foreach (var (label, value) in _secrets)
        {
            text = text.Replace(value, $"<{label}>", StringComparison.Ordinal);
        }

        return text.ReplaceLineEndings(" ");
    }

    private sealed record Channel(string Name, string Text, HashSet<string> RightfulHolderOf);
}
