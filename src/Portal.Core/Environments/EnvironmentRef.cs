namespace Portal.Core.Environments;

/// <summary>What authorization needs to know about an environment: its name and tier.</summary>
public sealed record EnvironmentRef(string Name, EnvironmentTier Tier);
