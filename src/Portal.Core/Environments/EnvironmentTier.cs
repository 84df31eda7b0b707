namespace Portal.Core.Environments;

/// <summary>The stage an environment belongs to. <see cref="Prod"/> is protected.</summary>
public enum EnvironmentTier
{
    Dev,
    Test,
    Staging,
    Prod,
}

public static class EnvironmentTiers
{
    public static IReadOnlyList<EnvironmentTier> All { get; } = Enum.GetValues<EnvironmentTier>();

    /// <summary>Parses the lower-case wire form (<c>dev</c>, <c>test</c>, <c>staging</c>, <c>prod</c>).</summary>
    public static bool TryParse(string? value, out EnvironmentTier tier)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(ToWire(candidate), value, StringComparison.Ordinal))
            {
                tier = candidate;
                return true;
            }
        }

        tier = default;
        return false;
    }

    public static string ToWire(this EnvironmentTier tier) => tier.ToString().ToLowerInvariant();

    public static bool IsProtected(this EnvironmentTier tier) => tier == EnvironmentTier.Prod;
}
