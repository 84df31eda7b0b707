using Amazon.Runtime;
using Amazon.Runtime.Credentials;

namespace Portal.Aws.Signing;

/// <summary>
/// The AWS SDK's default credential chain, resolved once on first use: environment variables, the shared profile
/// (<c>AWS_PROFILE</c>), web identity (IRSA on EKS), the container endpoint (ECS/EKS Pod Identity) and instance
/// metadata (IMDS). The credentials it returns refresh themselves before they expire.
/// </summary>
public static class AwsCredentialChain
{
    private static readonly Lazy<AWSCredentials> Resolved = new(() => DefaultAWSCredentialsIdentityResolver.GetCredentials(), LazyThreadSafetyMode.PublicationOnly);

    /// <summary>The chain's credentials.</summary>
    /// <exception cref="AwsCredentialsUnavailableException">No source in the chain has credentials.</exception>
    public static AWSCredentials Default
    {
        get
        {
            try
            {
                return Resolved.Value;
            }
            catch (AmazonClientException ex)
            {
                throw new AwsCredentialsUnavailableException(ex);
            }
        }
    }
}

/// <summary>No AWS credentials could be found or refreshed; the message names where the chain looked, never a key.</summary>
public sealed class AwsCredentialsUnavailableException(Exception innerException)
    : Exception(
        "No AWS credentials were found for SigV4 signing (looked in: environment variables, the shared profile, web identity, "
        + "the container credentials endpoint and instance metadata).",
        innerException);
