namespace Portal.Aws.Protocol;

/// <summary>
/// An error response as the protocols define it. <see cref="Code"/> is the code callers match on: the query-protocol
/// code when an awsQueryCompatible service sends one (<c>x-amzn-query-error</c>), else the error shape's name without
/// its namespace. <see cref="Message"/> is the service's own text and is never shown for credential errors (a
/// <c>SignatureDoesNotMatch</c> message quotes the string that was signed, session token included).
/// </summary>
public sealed record AwsServiceError(int StatusCode, string Code, string Message)
{
    /// <summary>Strips botocore-style decorations: <c>aws.protocoltests.json10#FooError:http://internal...</c> is <c>FooError</c>.</summary>
    public static string CleanCode(string raw)
    {
        var code = raw.Trim();
        var colon = code.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            code = code[..colon];
        }

        var hash = code.LastIndexOf('#');
        return hash >= 0 ? code[(hash + 1)..] : code;
    }
}
