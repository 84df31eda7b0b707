using Portal.Core.Jobs;

namespace Portal.Core.Provisioning;

/// <summary>The jobs that create, change and destroy environments, and the steps each is made of.</summary>
public static class EnvironmentJobKinds
{
    public const string Create = "environment.create";
    public const string Update = "environment.update";
    public const string Destroy = "environment.destroy";

    public const string MarkReady = "mark-ready";
    public const string MarkDestroyed = "mark-destroyed";
    public const string DeletePrefix = "delete-";

    public static IReadOnlyList<string> All { get; } = [Create, Update, Destroy];

    public static PortalJob NewCreate(string environment, string by, DateTimeOffset now) =>
        PortalJob.New(Create, environment, by, now, [.. ProvisioningParts.All, MarkReady]);

    /// <summary>
    /// Labels, quota and access: the namespace, its ResourceQuota, its LimitRange and its RoleBindings are applied
    /// again (each idempotent, so one kind of job serves a quota change and a granted or revoked role alike).
    /// </summary>
    public static PortalJob NewUpdate(string environment, string by, DateTimeOffset now) =>
        PortalJob.New(Update, environment, by, now, [ProvisioningParts.Namespace, ProvisioningParts.ResourceQuota, ProvisioningParts.LimitRange, ProvisioningParts.RoleBindings]);

    /// <summary>What creation made, deleted in reverse order; then the environment is marked destroyed.</summary>
    public static PortalJob NewDestroy(string environment, string by, DateTimeOffset now) =>
        PortalJob.New(Destroy, environment, by, now, [.. ProvisioningParts.All.Reverse().Select(p => DeletePrefix + p), MarkDestroyed]);
}
