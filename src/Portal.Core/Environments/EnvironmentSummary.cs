namespace Portal.Core.Environments;

/// <summary>What the shell needs to know about an environment to offer it in the switcher.</summary>
public sealed record EnvironmentSummary(string Name, string DisplayName, EnvironmentTier Tier);
