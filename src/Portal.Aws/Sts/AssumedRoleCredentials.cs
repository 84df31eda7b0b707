using Amazon.Runtime;

namespace Portal.Aws.Sts;

/// <summary>
/// Credentials of a role assumed with STS <c>AssumeRole</c> (signed with the base credentials), kept until
/// <see cref="RefreshBefore"/> ahead of their expiration and then assumed again. Concurrent callers share one
/// <c>AssumeRole</c> call. A failure is not cached: the next request tries again.
/// </summary>
public sealed class AssumedRoleCredentials : AWSCredentials
{
    /// <summary>How long before expiration the credentials are replaced, as the AWS SDKs do.</summary>
    public static readonly TimeSpan RefreshBefore = TimeSpan.FromMinutes(5);

    private readonly StsClient _sts;
    private readonly AssumeRoleRequest _request;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private StsCredentials? _current;

    public AssumedRoleCredentials(StsClient sts, AssumeRoleRequest request, TimeProvider clock)
    {
        _sts = sts;
        _request = request;
        _clock = clock;
    }

    public string RoleArn => _request.RoleArn;

    public override ImmutableCredentials GetCredentials() => GetCredentialsAsync().GetAwaiter().GetResult();

    public override async Task<ImmutableCredentials> GetCredentialsAsync()
    {
        var fresh = Fresh();
        if (fresh is null)
        {
            await _gate.WaitAsync();
            try
            {
                fresh = Fresh();
                if (fresh is null)
                {
                    var response = await _sts.AssumeRoleAsync(_request, CancellationToken.None);
                    _current = fresh = response.Credentials;
                }
            }
            finally
            {
                _gate.Release();
            }
        }

        return new ImmutableCredentials(fresh.AccessKeyId, fresh.SecretAccessKey, fresh.SessionToken);
    }

    private StsCredentials? Fresh() =>
        Volatile.Read(ref _current) is { } current && _clock.GetUtcNow() < current.Expiration - RefreshBefore ? current : null;
}
