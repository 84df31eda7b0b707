using System.Diagnostics;
using Portal.Core.Actions;
using Portal.Web.SignIn;

namespace Portal.Web.Api;

internal static class ActorContexts
{
    /// <summary>Who is calling, from where, under which correlation id (the trace id, also in the logs).</summary>
    public static ActorContext From(HttpContext context, string channel) => new(
        context.User.ToPortalPrincipal(),
        channel,
        context.Connection.RemoteIpAddress?.ToString(),
        Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier);
}
