using Portal.Core.Deployments;

namespace Portal.Web.Features.Deployments;

/// <summary>How releases read on the pages: state and kind in words, badge colours (Radzen's, so dark mode follows).</summary>
internal static class ReleaseFormat
{
    public static BadgeStyle StateStyle(ReleaseState state) => state switch
    {
        ReleaseState.Succeeded => BadgeStyle.Success,
        ReleaseState.Failed => BadgeStyle.Danger,
        ReleaseState.RollingOut or ReleaseState.Pending => BadgeStyle.Info,
        ReleaseState.AwaitingApproval or ReleaseState.Queued => BadgeStyle.Warning,
        _ => BadgeStyle.Light,
    };

    public static string StateText(ReleaseState state) => state switch
    {
        ReleaseState.AwaitingApproval => "Awaiting approval",
        ReleaseState.RollingOut => "Rolling out",
        _ => state.ToString(),
    };

    public static string KindText(ReleaseKind kind) => kind switch
    {
        ReleaseKind.Rollback => "Rollback",
        ReleaseKind.Promotion => "Promotion",
        _ => "Deploy",
    };

    public static BadgeStyle ChangeStyle(ObjectChange change) => change switch
    {
        ObjectChange.Create => BadgeStyle.Success,
        ObjectChange.Update => BadgeStyle.Warning,
        ObjectChange.Delete => BadgeStyle.Danger,
        _ => BadgeStyle.Light,
    };

    /// <summary>"11-22 13:03": a list's time column, the full time in its tooltip.</summary>
    public static string ShortTime(DateTimeOffset at) => at.UtcDateTime.ToString("MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The page of one release, relative to the base path.</summary>
    public static string Link(Release r) => Link(r.Environment, r.Id);

    public static string Link(string environment, Guid id) => $"deployments/{Uri.EscapeDataString(environment)}/{id}";

    /// <summary>A release is watched until it is finished: queued and awaiting ones may start at any moment.</summary>
    public static bool IsLive(Release r) => !r.IsFinished;
}
