using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Portal.Sandbox.Aws.Protocol;

/// <summary>
/// Opaque <c>NextToken</c>s: a position plus a digest of the request's filters, so a token only continues the query
/// it came from (CloudTrail documents "a token that was previously used in a request with different parameters" as
/// invalid). Anything that does not decode to a token of this query is refused by the caller.
/// </summary>
internal static class PageToken
{
    public static string Encode(string query, string position) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{Digest(query)}|{position}"));

    /// <summary>The position in <paramref name="token"/> (null when there is no token); false when it is not a token of this query.</summary>
    public static bool TryDecode(string? token, string query, out string? position)
    {
        position = null;
        if (token is null)
        {
            return true;
        }

        string text;
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
        }
        catch (FormatException)
        {
            return false;
        }

        var bar = text.IndexOf('|', StringComparison.Ordinal);
        if (bar < 0 || text[..bar] != Digest(query))
        {
            return false;
        }

        position = text[(bar + 1)..];
        return true;
    }

    private static string Digest(string query) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(query)).AsSpan(0, 12));
}
