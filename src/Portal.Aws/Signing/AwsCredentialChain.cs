using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Portal.Aws.SdkBridge;

namespace Portal.Aws.Signing;

/// <summary>
/// The AWS SDK's default credential chain, resolved once on first use: environment variables, web identity (IRSA on
/// EKS), the shared profile (<c>AWS_PROFILE</c>: keys, roles, SSO), the container endpoint (ECS/EKS Pod Identity)
/// and instance metadata (IMDS). The credentials it returns refresh themselves before they expire. Web identity,
/// profile roles and SSO call STS, SSO and SSO OIDC through Portal's thin clients (<see cref="AwsSdkBridge"/>).
/// </summary>
public static class AwsCredentialChain
{
    private static readonly Lazy<AWSCredentials> Resolved = new(Resolve, LazyThreadSafetyMode.PublicationOnly);

    static AwsCredentialChain() => AwsSdkBridge.Register();

    /// <summary>The chain's credentials, resolved once per process.</summary>
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

    /// <summary>
    /// Walks the chain afresh with a new resolver, reading the environment and the profile files as they are now
    /// (<see cref="Default"/> keeps the first answer for the process).
    /// </summary>
    /// <exception cref="AmazonClientException">No source in the chain has credentials.</exception>
    public static AWSCredentials Resolve()
    {
        AwsSdkBridge.Register();
        using var resolver = new DefaultAWSCredentialsIdentityResolver();
        return AwsSdkBridge.Adapt(resolver.ResolveIdentity(null));
    }
}
