using Portal.Core.Authorization;

namespace Portal.Web.Features;

/// <summary>What the grant forms edit, as typed (the request record itself is immutable).</summary>
public sealed class GrantForm
{
    public string SubjectKind { get; set; } = "user";

    public string? Subject { get; set; }

    public string Role { get; set; } = Roles.Viewer;

    /// <summary>Only for organisation-wide grants: all or tier:&lt;tier&gt;.</summary>
    public string? Scope { get; set; }

    public int? ExpiresInHours { get; set; }

    public GrantRequest ToRequest() => new() { SubjectKind = SubjectKind, Subject = Subject, Role = Role, Scope = Scope, ExpiresInHours = ExpiresInHours };
}
