using System.Text.RegularExpressions;

namespace Portal.Core.Deployments;

/// <summary>
/// A container image reference as the distribution spec (and every container runtime) reads it:
/// <c>[registry[:port]/]path[:tag][@digest]</c>, with lower-case path components, a tag of at most 128 word
/// characters, dots and dashes (not starting with either), and a digest such as <c>sha256:</c> and 64 hex digits.
/// </summary>
public sealed partial record ImageReference(string Repository, string? Tag, string? Digest)
{
    /// <summary>The tag, or the digest when there is no tag.</summary>
    public string Version => Tag ?? Digest ?? "latest";

    public override string ToString() => Repository + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);

    public static bool TryParse(string? text, out ImageReference reference) => Parse(text, out reference) is null;

    /// <summary>The image a deploy names by its version: a digest (<c>sha256:…</c>) after '@', a tag after ':'.</summary>
    public static string ForVersion(string repository, string version) =>
        version.Contains(':', StringComparison.Ordinal) && version.StartsWith("sha", StringComparison.Ordinal)
            ? $"{repository}@{version}"
            : $"{repository}:{version}";

    /// <summary>Null when <paramref name="text"/> is a valid reference, else what is wrong with it.</summary>
    public static string? Parse(string? text, out ImageReference reference)
    {
        reference = new ImageReference("", null, null);
        if (string.IsNullOrWhiteSpace(text))
        {
            return "is required";
        }

        if (text.Length > 255)
        {
            return $"must be at most 255 characters (got {text.Length})";
        }

        string? digest = null;
        var rest = text;
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            digest = rest[(at + 1)..];
            rest = rest[..at];
            if (!DigestPattern().IsMatch(digest))
            {
                return $"has a malformed digest '{digest}' (expected an algorithm and hex digits, e.g. sha256:<64 hex digits>)";
            }
        }

        string? tag = null;
        var lastSlash = rest.LastIndexOf('/');
        var colon = rest.LastIndexOf(':');
        if (colon > lastSlash)
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
            if (!TagPattern().IsMatch(tag))
            {
                return $"has an invalid tag '{tag}' (letters, digits, '_', '.' and '-', at most 128, not starting with '.' or '-')";
            }
        }

        var error = RepositoryError(rest);
        if (error is not null)
        {
            return error;
        }

        reference = new ImageReference(rest, tag, digest);
        return null;
    }

    /// <summary>Null when <paramref name="repository"/> (no tag, no digest) is valid, else what is wrong.</summary>
    public static string? RepositoryError(string? repository)
    {
        if (string.IsNullOrWhiteSpace(repository))
        {
            return "needs a repository name";
        }

        var parts = repository.Split('/');
        var first = 0;
        if (parts.Length > 1 && (parts[0].Contains('.', StringComparison.Ordinal) || parts[0].Contains(':', StringComparison.Ordinal) || parts[0] == "localhost"))
        {
            if (!RegistryPattern().IsMatch(parts[0]))
            {
                return $"has an invalid registry '{parts[0]}'";
            }

            first = 1;
        }

        for (var i = first; i < parts.Length; i++)
        {
            if (!ComponentPattern().IsMatch(parts[i]))
            {
                return $"has an invalid path component '{parts[i]}' (lower-case letters, digits and single separators '.', '_', '__' or '-')";
            }
        }

        return null;
    }

    [GeneratedRegex("^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*\\z")]
    private static partial Regex ComponentPattern();

    [GeneratedRegex(@"^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?\z")]
    private static partial Regex RegistryPattern();

    [GeneratedRegex(@"^[\w][\w.-]{0,127}\z")]
    private static partial Regex TagPattern();

    [GeneratedRegex("^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}\\z")]
    private static partial Regex DigestPattern();
}
