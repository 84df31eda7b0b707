using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Portal.Sandbox.Aws.Protocol;

/// <summary>
/// Checks a request's AWS Signature Version 4 as AWS does: recomputes the canonical request, the string to sign and
/// the signature with the sandbox's secret, and answers a missing, malformed, foreign, stale or wrong signature with
/// the error AWS gives (MissingAuthenticationToken, IncompleteSignature, UnrecognizedClient, InvalidSignature). Its
/// messages never carry the secret, the expected signature or the one given.
/// </summary>
internal sealed class SigV4Verifier(string accessKeyId, string secretAccessKey, string region, TimeProvider clock)
{
    private const string Algorithm = "AWS4-HMAC-SHA256";
    private static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(5);

    /// <summary>What a verified request was signed for.</summary>
    public sealed record Signed(string AccessKeyId, string Service);

    public Signed Verify(HttpRequest request, byte[] body)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.Length == 0)
        {
            throw AwsApiException.MissingAuthenticationToken();
        }

        if (!authorization.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            throw AwsApiException.IncompleteSignature($"Authorization header requires the '{Algorithm}' algorithm.");
        }

        var parts = Parts(authorization[Algorithm.Length..]);
        var missing = new[] { "Credential", "SignedHeaders", "Signature" }.Where(p => !parts.ContainsKey(p)).ToList();
        if (missing.Count > 0)
        {
            throw AwsApiException.IncompleteSignature(string.Concat(missing.Select(m => $"Authorization header requires '{m}' parameter. ")).TrimEnd());
        }

        var scope = parts["Credential"].Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request")
        {
            throw AwsApiException.IncompleteSignature("Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term.");
        }

        var (keyId, date, scopeRegion, service) = (scope[0], scope[1], scope[2], scope[3]);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(keyId), Encoding.UTF8.GetBytes(accessKeyId)))
        {
            throw AwsApiException.UnrecognizedClient();
        }

        if (request.Headers.ContainsKey("X-Amz-Security-Token"))
        {
            // The sandbox issues long-term keys only: a session token belongs to someone else's credentials.
            throw AwsApiException.UnrecognizedClient();
        }

        var amzDate = request.Headers["X-Amz-Date"].ToString();
        if (!DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var signedAt))
        {
            throw AwsApiException.IncompleteSignature("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }

        var now = clock.GetUtcNow();
        if (signedAt < now - MaxSkew)
        {
            throw AwsApiException.InvalidSignature($"Signature expired: {amzDate} is now earlier than {Stamp(now - MaxSkew)} ({Stamp(now)} - 5 min.)");
        }

        if (signedAt > now + MaxSkew)
        {
            throw AwsApiException.InvalidSignature($"Signature not yet current: {amzDate} is still later than {Stamp(now + MaxSkew)} ({Stamp(now)} + 5 min.)");
        }

        if (date != amzDate[..8])
        {
            throw AwsApiException.InvalidSignature($"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{date}' != '{amzDate[..8]}', from '{amzDate}'.");
        }

        if (scopeRegion != region)
        {
            throw AwsApiException.InvalidSignature($"Credential should be scoped to a valid region, not '{scopeRegion}'. ");
        }

        var signedHeaders = parts["SignedHeaders"].Split(';');
        if (!signedHeaders.Contains("host"))
        {
            throw AwsApiException.InvalidSignature("'Host' must be a 'SignedHeader' in the AWS Authorization.");
        }

        var payloadHash = Convert.ToHexStringLower(SHA256.HashData(body));
        var declared = request.Headers["X-Amz-Content-SHA256"].ToString();
        if (declared.Length > 0 && !string.Equals(declared, payloadHash, StringComparison.OrdinalIgnoreCase))
        {
            throw AwsApiException.InvalidSignature("The provided 'x-amz-content-sha256' header does not match what was computed.");
        }

        var canonical = string.Join('\n',
            request.Method,
            CanonicalPath(request.Path.Value),
            CanonicalQuery(request.QueryString.Value),
            string.Concat(signedHeaders.Select(h => $"{h}:{HeaderValue(request, h)}\n")),
            parts["SignedHeaders"],
            payloadHash);
        var stringToSign = string.Join('\n', Algorithm, amzDate, $"{date}/{scopeRegion}/{service}/aws4_request", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))));
        var key = Hmac(Hmac(Hmac(Hmac(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), date), scopeRegion), service), "aws4_request");
        var expected = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(Hmac(key, stringToSign)));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(parts["Signature"].ToLowerInvariant())))
        {
            throw AwsApiException.InvalidSignature("The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
        }

        return new Signed(keyId, service);
    }

    private static Dictionary<string, string> Parts(string text)
    {
        var parts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                parts[part[..eq]] = part[(eq + 1)..];
            }
        }

        return parts;
    }

    private static string HeaderValue(HttpRequest request, string name)
    {
        var values = request.Headers[name];
        return string.Join(',', values.Select(v => string.Join(' ', (v ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))));
    }

    /// <summary>The path with each segment URI-encoded once (AWS services other than S3 normalize it so).</summary>
    private static string CanonicalPath(string? path) =>
        string.IsNullOrEmpty(path) ? "/" : string.Join('/', path.Split('/').Select(s => Encode(Uri.UnescapeDataString(s))));

    private static string CanonicalQuery(string? query)
    {
        if (string.IsNullOrEmpty(query) || query == "?")
        {
            return "";
        }

        return string.Join('&', query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => (Name: Encode(Uri.UnescapeDataString(p[0])), Value: Encode(Uri.UnescapeDataString(p.Length > 1 ? p[1] : ""))))
            .OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => $"{p.Name}={p.Value}"));
    }

    /// <summary>RFC 3986 encoding: everything but the unreserved characters, hex in upper case.</summary>
    private static string Encode(string value)
    {
        var encoded = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                encoded.Append(c);
            }
            else
            {
                encoded.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return encoded.ToString();
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Stamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
}
