using Portal.Core.Deployments;

namespace Portal.Web.Features.Deployments;

/// <summary>
/// Where one release stands among the releases of its service in its environment: the one before it (for the
/// diff), the last good one before it (what a failed release rolls back to), and whether it is what the cluster
/// runs now (the last release that was applied). Pure, so each rule is tested on its own.
/// </summary>
public sealed record ReleaseHistory(Release? Previous, Release? LastGood, Release? Current)
{
    public static ReleaseHistory Empty { get; } = new(null, null, null);

    /// <param name="release">The release looked at.</param>
    /// <param name="siblings">Releases of the same service in the same environment, in any order (the release itself may be among them).</param>
    public static ReleaseHistory Of(Release release, IEnumerable<Release> siblings)
    {
        var same = siblings.Where(r => r.Service == release.Service && r.Environment == release.Environment).ToList();
        var before = same.Where(r => r.Number < release.Number).ToList();
        return new ReleaseHistory(
            before.MaxBy(r => r.Number),
            before.Where(r => r.State == ReleaseState.Succeeded).MaxBy(r => r.Number),
            same.Append(release).Where(r => r.StartedAt is not null).MaxBy(r => r.Number));
    }

    /// <summary>A failed release offers to roll back to the last good release before it.</summary>
    public Release? RollbackTarget(Release release) => release.State == ReleaseState.Failed ? LastGood : null;

    /// <summary>A good release that the cluster no longer runs may be rolled back to.</summary>
    public bool MayRollBackTo(Release release) => release.State == ReleaseState.Succeeded && Current is not null && Current.Id != release.Id;
}
