namespace Portal.Core.Validation;

/// <summary>Small checks shared by validators.</summary>
public static class Text
{
    /// <summary>Null when <paramref name="value"/> is 1..max characters of printable text, else the problem.</summary>
    public static string? Required(string? value, int max)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return "is required";
        }

        if (value.Length > max)
        {
            return $"must be at most {max} characters (got {value.Length})";
        }

        return value.Any(char.IsControl) ? "must not contain control characters" : null;
    }

    public static bool IsLabelName(string value) =>
        value.Length is > 0 and <= 63
        && char.IsAsciiLetterOrDigit(value[0]) && char.IsAsciiLetterOrDigit(value[^1])
        && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
