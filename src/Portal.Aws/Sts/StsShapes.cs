namespace Portal.Aws.Sts;

// Shapes of sts-2011-06-15's AssumeRole, member names as the model spells them.

public sealed record AssumeRoleRequest
{
    public required string RoleArn { get; init; }

    /// <summary>2 to 64 characters of <c>[\w+=,.@-]</c>; it shows in the role's CloudTrail events.</summary>
    public required string RoleSessionName { get; init; }

    /// <summary>900 s to the role's maximum session duration; STS's default is 3600.</summary>
    public int? DurationSeconds { get; init; }

    public string? ExternalId { get; init; }
}

/// <summary>Temporary credentials. <see cref="ToString"/> leaves the secret and the token out.</summary>
public sealed record StsCredentials(string AccessKeyId, string SecretAccessKey, string SessionToken, DateTimeOffset Expiration)
{
    public override string ToString() => $"StsCredentials {{ Expiration = {Expiration:O} }}";
}

public sealed record AssumedRoleUser(string AssumedRoleId, string Arn);

public sealed record AssumeRoleResponse(StsCredentials Credentials, AssumedRoleUser? AssumedRoleUser, int? PackedPolicySize);

// AssumeRoleWithWebIdentity: unsigned, the OIDC token is the proof (IRSA on EKS, or a profile's web_identity_token_file).

public sealed record AssumeRoleWithWebIdentityRequest
{
    public required string RoleArn { get; init; }

    public required string RoleSessionName { get; init; }

    /// <summary>The OIDC ID token or OAuth 2.0 access token, as read from the token file.</summary>
    public required string WebIdentityToken { get; init; }

    public int? DurationSeconds { get; init; }

    /// <summary>Only for OAuth 2.0 access tokens (Login with Amazon, Facebook); never for OIDC ID tokens.</summary>
    public string? ProviderId { get; init; }

    /// <summary>An inline session policy (JSON).</summary>
    public string? Policy { get; init; }

    /// <summary>Managed session policies, sent as <c>PolicyArns.member.N.arn</c>.</summary>
    public IReadOnlyList<string> PolicyArns { get; init; } = [];

    /// <summary>Leaves the token out: it is a bearer credential.</summary>
    public override string ToString() => $"AssumeRoleWithWebIdentityRequest {{ RoleArn = {RoleArn}, RoleSessionName = {RoleSessionName} }}";
}

public sealed record AssumeRoleWithWebIdentityResponse(
    StsCredentials Credentials, AssumedRoleUser? AssumedRoleUser, string? SubjectFromWebIdentityToken, string? Provider, string? Audience);
