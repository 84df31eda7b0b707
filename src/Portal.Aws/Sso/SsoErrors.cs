using System.Text.Json;
using Portal.Aws.Protocol;

namespace Portal.Aws.Sso;

/// <summary>How the IAM Identity Center APIs (rest-json) report errors: the type in <c>X-Amzn-Errortype</c> or the body.</summary>
internal static class SsoErrors
{
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    public static AwsServiceError Parse(HttpResponseMessage response, byte[] body) => AwsJsonErrorParser.Parse(
        (int)response.StatusCode,
        name => response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null,
        body,
        queryCompatible: false);
}
