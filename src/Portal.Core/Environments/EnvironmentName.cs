namespace Portal.Core.Environments;

/// <summary>
/// An environment's name: a DNS-1123 label, because it becomes part of namespace names and URLs.
/// </summary>
public static class EnvironmentName
{
    public const int MaxLength = 63;

    /// <summary>Returns null when <paramref name="name"/> is a valid name, else a sentence saying what is wrong.</summary>
    public static string? Validate(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "must not be empty";
        }

        if (name.Length > MaxLength)
        {
            return $"must be at most {MaxLength} characters (got {name.Length})";
        }

        foreach (var c in name)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
            {
                return "must consist of lower-case letters, digits and '-' (a DNS-1123 label)";
            }
        }

        if (name[0] == '-' || name[^1] == '-')
        {
            return "must start and end with a letter or digit (a DNS-1123 label)";
        }

        return null;
    }

    public static bool IsValid(string? name) => Validate(name) is null;
}
