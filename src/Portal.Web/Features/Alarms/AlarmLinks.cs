using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;

namespace Portal.Web.Features.Alarms;

/// <summary>
/// The alarm pages' URLs, built in one place so that every link agrees. Alarm names contain <c>/</c>
/// (<c>dev/cart/5xx-rate</c>): the alarm page takes the whole rest of its path (<c>/alarms/dev/cart/5xx-rate</c>), each
/// segment escaped on its own, so the address bar reads like the name; the investigate view takes it in the query.
/// </summary>
public static class AlarmLinks
{
    /// <summary>The board, optionally filtered (keys as <see cref="AlarmBoardQuery.ToUrlQuery"/> writes them).</summary>
    public const string Board = "alarms";

    public static string Alarm(string name) => $"{Board}/{string.Join('/', name.Split('/').Select(Uri.EscapeDataString))}";

    public static string Alarm(string name, string range) => range == AlarmRanges.Default ? Alarm(name) : $"{Alarm(name)}?range={range}";

    /// <summary>The investigate view over the default window, or over [from, to] when both are given.</summary>
    public static string Investigate(string name, DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        var query = new Dictionary<string, string?> { ["alarm"] = name };
        if (from is { } f && to is { } t)
        {
            query["from"] = Instant(f);
            query["to"] = Instant(t);
        }

        return QueryHelpers.AddQueryString("investigate", query);
    }

    public static string Trail(string environment) => $"environments/{Uri.EscapeDataString(environment)}/trail";

    public static string Environment(string environment) => $"environments/{Uri.EscapeDataString(environment)}";

    /// <summary>The service's deployment and pods in the environment (the workloads page narrowed to it).</summary>
    public static string Service(string environment, string service) =>
        $"environments/{Uri.EscapeDataString(environment)}/workloads?service={Uri.EscapeDataString(service)}";

    /// <summary>
    /// The alarm name a catch-all route value carries. Both routers (the server's for the first response, the
    /// circuit's after it) hand the path over decoded, except an escaped slash (<c>%2F</c>, as the API's ids carry
    /// names), which they leave as it is so as not to change the path's segments: it is read as the slash it means.
    /// </summary>
    public static string NameFromRoute(string? value) =>
        string.IsNullOrEmpty(value) ? "" : value.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);

    /// <summary>An instant as URLs carry it: ISO 8601 UTC to the second.</summary>
    public static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
