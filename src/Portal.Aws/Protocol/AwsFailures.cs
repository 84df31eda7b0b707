using System.Globalization;
using System.Text.RegularExpressions;
using Portal.Aws.Signing;
using Portal.Core.Alarms;

namespace Portal.Aws.Protocol;

/// <summary>
/// Turns what went wrong in an AWS call into an <see cref="AlarmSourceException"/> whose message an on-call person
/// can act on: which account, what to do. Credential errors never quote the service's message (it may echo the
/// signed request, session token included); other messages quote it shortened, and nothing quotes a key.
/// </summary>
public static partial class AwsFailures
{
    private const int MaxQuoted = 300;

    private static readonly HashSet<string> ExpiredCodes = new(StringComparer.Ordinal)
    {
        "ExpiredToken", "ExpiredTokenException", "RequestExpired",
    };

    private static readonly HashSet<string> UnrecognizedCodes = new(StringComparer.Ordinal)
    {
        "UnrecognizedClientException", "InvalidClientTokenId", "InvalidAccessKeyId", "AuthFailure",
    };

    private static readonly HashSet<string> SignatureCodes = new(StringComparer.Ordinal)
    {
        "InvalidSignatureException", "SignatureDoesNotMatch",
    };

    private static readonly HashSet<string> MissingSignatureCodes = new(StringComparer.Ordinal)
    {
        "MissingAuthenticationToken", "MissingAuthenticationTokenException", "IncompleteSignature", "IncompleteSignatureException",
    };

    private static readonly HashSet<string> AccessDeniedCodes = new(StringComparer.Ordinal)
    {
        "AccessDenied", "AccessDeniedException", "UnauthorizedOperation",
    };

    private static readonly HashSet<string> ValidationCodes = new(StringComparer.Ordinal)
    {
        "ValidationError", "ValidationException", "InvalidParameterValue", "InvalidParameterValueException", "InvalidParameterCombination",
        "InvalidParameterCombinationException", "MissingParameter", "InvalidParameterInput", "InvalidFormat", "InvalidNextToken",
        "InvalidNextTokenException", "InvalidLookupAttributesException", "InvalidTimeRangeException", "InvalidMaxResultsException",
        "InvalidEventCategoryException", "InvalidQueryParameter", "MalformedQueryString", "InvalidAction", "SerializationException",
        "UnknownOperationException",
    };

    /// <summary>The service answered with an error and no (further) retry applies.</summary>
    public static AlarmSourceException FromError(AwsCall call, AwsServiceError error, int attempts)
    {
        var code = error.Code;
        if (ExpiredCodes.Contains(code))
        {
            return new(AwsFailure.Credentials,
                $"The AWS credentials for account '{call.Account}' have expired; refresh them (aws sso login) or check the role. ({call.Service} answered {code}.)");
        }

        if (UnrecognizedCodes.Contains(code))
        {
            return new(AwsFailure.Credentials,
                $"{call.Service} does not recognise the AWS credentials for account '{call.Account}' ({code}): the access key is unknown, deactivated "
                + "or from another partition. Refresh them (aws sso login) or check the role.");
        }

        if (SignatureCodes.Contains(code))
        {
            return new(AwsFailure.Credentials,
                $"{call.Service} refused the request signature for account '{call.Account}' ({code}): the secret key does not belong to the access "
                + "key, or this machine's clock is wrong. Check the credentials or the role.");
        }

        if (MissingSignatureCodes.Contains(code))
        {
            return new(AwsFailure.Credentials,
                $"{call.Service} received no complete AWS signature for account '{call.Account}' ({code}); check that credentials are configured for it.");
        }

        if (AccessDeniedCodes.Contains(code))
        {
            return new(AwsFailure.AccessDenied,
                $"Account '{call.Account}' is not allowed {call.IamAction}: grant this IAM permission to its role or user. {Quote(call.Service, error.Message)}");
        }

        if (AwsRetryPolicy.IsThrottling(error))
        {
            return new(AwsFailure.Throttled,
                $"{call.Service} kept throttling {call.Operation} for account '{call.Account}' ({code}) after {Attempts(attempts)}; try again in a minute.");
        }

        if (AwsRetryPolicy.IsRetryable(error))
        {
            return new(AwsFailure.Unavailable,
                $"{call.Service} answered {call.Operation} for account '{call.Account}' with {code} (HTTP {error.StatusCode}) after {Attempts(attempts)}. "
                + Quote(call.Service, error.Message));
        }

        if (ValidationCodes.Contains(code) || error.StatusCode == 400)
        {
            return new(AwsFailure.InvalidRequest,
                $"{call.Service} rejected {call.Operation} for account '{call.Account}' as invalid ({code}). {Quote(call.Service, error.Message)}");
        }

        return new(AwsFailure.Unavailable,
            $"{call.Service} answered {call.Operation} for account '{call.Account}' with HTTP {error.StatusCode} ({code}) after {Attempts(attempts)}. "
            + Quote(call.Service, error.Message));
    }

    /// <summary>No credentials could be found or refreshed for the account.</summary>
    public static AlarmSourceException NoCredentials(AwsCall call, Exception inner) => new(AwsFailure.Credentials,
        $"No AWS credentials were found for account '{call.Account}' (looked in environment variables, the shared profile, web identity, "
        + "the container credentials endpoint and instance metadata); sign in (aws sso login) or give Portal a role."
        + ((inner as AwsCredentialsUnavailableException)?.Reason is { } reason ? " " + reason : ""), inner);

    public static AlarmSourceException Unreachable(AwsCall call, HttpRequestException inner, int attempts) => new(AwsFailure.Unavailable,
        $"{call.Service} at {call.Host} could not be reached for account '{call.Account}' after {Attempts(attempts)}: {Shorten(inner.Message)}", inner);

    public static AlarmSourceException TimedOut(AwsCall call, TimeSpan timeout, int attempts) => new(AwsFailure.Unavailable,
        $"{call.Service} at {call.Host} did not answer {call.Operation} for account '{call.Account}' within "
        + $"{timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s ({Attempts(attempts)}).");

    public static AlarmSourceException Malformed(AwsCall call, Exception inner) => new(AwsFailure.Unavailable,
        $"{call.Service} answered {call.Operation} for account '{call.Account}' with a response Portal could not read: {Shorten(inner.Message)}", inner);

    private static string Attempts(int attempts) => attempts == 1 ? "1 attempt" : $"{attempts} attempts";

    /// <summary>"{service} said: …", shortened, or nothing for an empty message.</summary>
    internal static string Quote(string service, string message) => string.IsNullOrWhiteSpace(message) ? "" : $"{service} said: {Shorten(message)}";

    private static string Shorten(string text)
    {
        var single = Whitespace().Replace(text, " ").Trim();
        return single.Length <= MaxQuoted ? single : single[..MaxQuoted] + "…";
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
