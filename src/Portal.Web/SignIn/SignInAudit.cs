using Portal.Core.Actions;
using Portal.Core.Audit;

namespace Portal.Web.SignIn;

/// <summary>Sign-ins and refused sign-ins go to the audit trail like every other action.</summary>
public sealed class SignInAudit(IUnitOfWorkFactory units, TimeProvider clock)
{
    public async Task RecordAsync(HttpContext context, string userName, string method, AuditOutcome outcome, string reason, string action = "auth.sign-in")
    {
        await using var work = units.Begin();
        work.Audit(new AuditRecord(
            Guid.NewGuid(), clock.GetUtcNow(), userName.Length > 0 ? userName : "(anonymous)", "ui",
            context.Connection.RemoteIpAddress?.ToString(), null, action, userName.Length > 200 ? userName[..200] : userName,
            AuditParameters.Serialize(new Dictionary<string, object?> { ["method"] = method }), outcome, reason,
            context.TraceIdentifier));
        await work.CommitAsync(CancellationToken.None);
    }
}
