using Amazon.Runtime;

namespace Portal.Aws.Signing;

/// <summary>
/// No AWS credentials could be found or refreshed. The message names where the chain looked and, when a source
/// Portal runs itself failed (<see cref="AwsCredentialSourceException"/>), why; never a key or a token.
/// </summary>
public sealed class AwsCredentialsUnavailableException(Exception innerException)
    : Exception(Describe(innerException), innerException)
{
    private const string Looked = "No AWS credentials were found for SigV4 signing (looked in: environment variables, the shared profile, web identity, "
        + "the container credentials endpoint and instance metadata).";

    /// <summary>Why Portal's own source failed (a role that could not be assumed, an SSO sign-in that expired), if that is the cause.</summary>
    public string? Reason { get; } = SourceOf(innerException)?.Message;

    private static string Describe(Exception inner) => SourceOf(inner) is { } source ? $"{Looked} {source.Message}" : Looked;

    private static AwsCredentialSourceException? SourceOf(Exception? inner)
    {
        for (var e = inner; e is not null; e = e.InnerException)
        {
            if (e is AwsCredentialSourceException source)
            {
                return source;
            }
        }

        return null;
    }
}

/// <summary>
/// A credential source Portal runs for AWSSDK.Core (STS web identity, profile roles, SSO) failed. It derives from
/// <see cref="AmazonClientException"/> because that is what the SDK's credential providers throw and callers catch;
/// its message names the role or profile and what to check, and never carries a token, key or STS's echo of them.
/// </summary>
public sealed class AwsCredentialSourceException(string message, Exception? innerException = null) : AmazonClientException(message, innerException);
