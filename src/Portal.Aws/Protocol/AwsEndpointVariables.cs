namespace Portal.Aws.Protocol;

/// <summary>
/// The endpoint overrides the AWS SDKs read from the environment: <c>AWS_ENDPOINT_URL_{SERVICE}</c> (the service id
/// upper-cased, spaces as underscores: <c>STS</c>, <c>SSO</c>, <c>SSO_OIDC</c>), else <c>AWS_ENDPOINT_URL</c>; both
/// ignored when <c>AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true</c>. And the region, <c>AWS_REGION</c> else <c>AWS_DEFAULT_REGION</c>.
/// </summary>
public sealed class AwsEndpointVariables(Func<string, string?>? variable = null)
{
    private readonly Func<string, string?> _variable = variable ?? Environment.GetEnvironmentVariable;

    public string? Region => Read("AWS_REGION") ?? Read("AWS_DEFAULT_REGION");

    /// <summary>The configured endpoint of the service, or null when none is.</summary>
    /// <exception cref="InvalidOperationException">The variable is set but is not an absolute http(s) URL.</exception>
    public Uri? Endpoint(string serviceId)
    {
        if (string.Equals(Read("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        foreach (var name in (string[])["AWS_ENDPOINT_URL_" + serviceId, "AWS_ENDPOINT_URL"])
        {
            if (Read(name) is not { } configured)
            {
                continue;
            }

            if (!Uri.TryCreate(configured, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            {
                // Not echoed: a URL may carry user info.
                throw new InvalidOperationException($"{name} must be an absolute http(s) URL.");
            }

            return url;
        }

        return null;
    }

    private string? Read(string name) => _variable(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
