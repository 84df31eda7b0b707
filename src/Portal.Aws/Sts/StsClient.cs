using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Portal.Aws.Protocol;
using Portal.Core.Alarms;

namespace Portal.Aws.Sts;

/// <summary>
/// A thin client of AWS STS over the query protocol (AWSSDK.SecurityToken is not on the mirror): a form-encoded
/// <c>POST /</c> with <c>Action</c> and <c>Version</c>, an XML answer (<c>{Action}Response/{Action}Result</c>) or an
/// <c>ErrorResponse</c>. <c>AssumeRole</c> goes through a signing transport; <c>AssumeRoleWithWebIdentity</c> is
/// unsigned by design (the token is the proof), so give it a transport without the SigV4 handler. Whatever keeps a
/// role from being assumed is a <see cref="AwsFailure.Credentials"/> failure naming the role, never the token.
/// </summary>
public sealed class StsClient(AwsTransport transport)
{
    public const string Version = "2011-06-15";

    public async Task<AssumeRoleResponse> AssumeRoleAsync(AssumeRoleRequest request, CancellationToken ct)
    {
        var call = Call("AssumeRole", "sts:AssumeRole");
        var form = Form("AssumeRole", request.RoleArn, request.RoleSessionName);
        Optional(form, "DurationSeconds", request.DurationSeconds);
        Optional(form, "ExternalId", request.ExternalId);
        byte[] body;
        try
        {
            body = await SendAsync(call, form, null, ct);
        }
        catch (AlarmSourceException ex) when (ex.Failure is AwsFailure.AccessDenied or AwsFailure.InvalidRequest)
        {
            throw new AlarmSourceException(AwsFailure.Credentials,
                $"Account '{transport.Account}' could not assume role {request.RoleArn}: its base credentials lack sts:AssumeRole on the role, "
                + "the role's trust policy does not trust them, or the external id does not match. " + ex.Message, ex);
        }
        catch (AlarmSourceException ex) when (ex.Failure is not AwsFailure.Credentials)
        {
            throw new AlarmSourceException(ex.Failure, $"Account '{transport.Account}' could not assume role {request.RoleArn}: {ex.Message}", ex);
        }

        return Read(call, body, "AssumeRoleResult", (result, credentials, user) =>
        {
            var packed = Text(result, "PackedPolicySize");
            return new AssumeRoleResponse(credentials, user, packed is null ? null : int.Parse(packed, CultureInfo.InvariantCulture));
        });
    }

    /// <summary>
    /// Exchanges a web identity token for the role's credentials. STS's refusals (<c>AccessDenied</c>,
    /// <c>InvalidIdentityToken</c>, <c>IDPRejectedClaim</c>, <c>ExpiredTokenException</c>) become one
    /// <see cref="AwsFailure.Credentials"/> failure that says what to check; <c>IDPCommunicationError</c> is retried.
    /// </summary>
    public async Task<AssumeRoleWithWebIdentityResponse> AssumeRoleWithWebIdentityAsync(AssumeRoleWithWebIdentityRequest request, CancellationToken ct)
    {
        var call = Call("AssumeRoleWithWebIdentity", "sts:AssumeRoleWithWebIdentity");
        var form = Form("AssumeRoleWithWebIdentity", request.RoleArn, request.RoleSessionName);
        form.Add(new("WebIdentityToken", request.WebIdentityToken));
        Optional(form, "DurationSeconds", request.DurationSeconds);
        Optional(form, "ProviderId", request.ProviderId);
        Optional(form, "Policy", request.Policy);
        for (var i = 0; i < request.PolicyArns.Count; i++)
        {
            form.Add(new($"PolicyArns.member.{i + 1}.arn", request.PolicyArns[i]));
        }

        AwsServiceError? refusal = null;
        byte[] body;
        try
        {
            body = await SendAsync(call, form, error => refusal = error, ct);
        }
        catch (AlarmSourceException ex) when (refusal is { } error && !AwsRetryPolicy.IsRetryable(error))
        {
            throw new AlarmSourceException(AwsFailure.Credentials, WebIdentityRefusal(request.RoleArn, error), ex);
        }
        catch (AlarmSourceException ex) when (ex.Failure is not AwsFailure.Credentials)
        {
            throw new AlarmSourceException(ex.Failure, $"Role {request.RoleArn} could not be assumed with the web identity token: {ex.Message}", ex);
        }

        return Read(call, body, "AssumeRoleWithWebIdentityResult", (result, credentials, user) => new AssumeRoleWithWebIdentityResponse(
            credentials, user, Text(result, "SubjectFromWebIdentityToken"), Text(result, "Provider"), Text(result, "Audience")));
    }

    private static string WebIdentityRefusal(string roleArn, AwsServiceError error)
    {
        var advice = error.Code == "ExpiredTokenException"
            ? "the token has expired: the file should be rewritten before that (on EKS the kubelet refreshes the projected service account token)."
            : "check that the role's trust policy allows sts:AssumeRoleWithWebIdentity for the token's OIDC provider, audience (sts.amazonaws.com) "
              + "and subject (system:serviceaccount:<namespace>:<service-account>), and that the provider is registered in IAM.";
        return $"STS refused to assume role {roleArn} with the web identity token ({error.Code}): {advice} {AwsFailures.Quote("STS", error.Message)}".TrimEnd();
    }

    private AwsCall Call(string operation, string iamAction) => new(transport.Account, "STS", operation, iamAction, transport.Endpoint);

    private static List<KeyValuePair<string, string>> Form(string action, string roleArn, string roleSessionName) =>
    [
        new("Action", action),
        new("Version", Version),
        new("RoleArn", roleArn),
        new("RoleSessionName", roleSessionName),
    ];

    private static void Optional(List<KeyValuePair<string, string>> form, string name, string? value)
    {
        if (value is not null)
        {
            form.Add(new(name, value));
        }
    }

    private static void Optional(List<KeyValuePair<string, string>> form, string name, int? value) =>
        Optional(form, name, value?.ToString(CultureInfo.InvariantCulture));

    private async Task<byte[]> SendAsync(AwsCall call, List<KeyValuePair<string, string>> form, Action<AwsServiceError>? seen, CancellationToken ct) =>
        (await transport.SendAsync(
            call,
            () => new HttpRequestMessage(HttpMethod.Post, transport.RequestUri) { Content = new FormUrlEncodedContent(form) },
            (response, body) =>
            {
                var error = ParseError(response, body);
                seen?.Invoke(error);
                return error;
            },
            null,
            ct))!;

    private static T Read<T>(AwsCall call, byte[] body, string resultName, Func<XElement, StsCredentials, AssumedRoleUser?, T> read)
    {
        try
        {
            using var stream = new MemoryStream(body);
            var result = Child(XDocument.Load(stream).Root, resultName) ?? throw new InvalidDataException($"The answer has no {resultName}.");
            var credentials = Child(result, "Credentials") ?? throw new InvalidDataException("The answer has no Credentials.");
            var user = Child(result, "AssumedRoleUser");
            return read(
                result,
                new StsCredentials(
                    Required(credentials, "AccessKeyId"),
                    Required(credentials, "SecretAccessKey"),
                    Required(credentials, "SessionToken"),
                    DateTimeOffset.Parse(Required(credentials, "Expiration"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)),
                user is null ? null : new AssumedRoleUser(Text(user, "AssumedRoleId") ?? "", Text(user, "Arn") ?? ""));
        }
        catch (Exception ex) when (ex is XmlException or FormatException or InvalidDataException or OverflowException)
        {
            throw AwsFailures.Malformed(call, ex);
        }
    }

    /// <summary>The query protocol's <c>&lt;ErrorResponse&gt;&lt;Error&gt;&lt;Code/&gt;&lt;Message/&gt;</c>.</summary>
    internal static AwsServiceError ParseError(HttpResponseMessage response, byte[] body)
    {
        var status = (int)response.StatusCode;
        try
        {
            using var stream = new MemoryStream(body);
            var error = Child(XDocument.Load(stream).Root, "Error");
            var code = Text(error, "Code");
            return new AwsServiceError(status, code is null ? status.ToString(CultureInfo.InvariantCulture) : AwsServiceError.CleanCode(code), Text(error, "Message") ?? "");
        }
        catch (XmlException)
        {
            return new AwsServiceError(status, status.ToString(CultureInfo.InvariantCulture), "");
        }
    }

    private static XElement? Child(XElement? parent, string name) => parent?.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    private static string? Text(XElement? parent, string name) => Child(parent, name)?.Value.Trim();

    private static string Required(XElement parent, string name) =>
        Text(parent, name) is { Length: > 0 } value ? value : throw new InvalidDataException($"The answer's Credentials have no {name}.");
}
