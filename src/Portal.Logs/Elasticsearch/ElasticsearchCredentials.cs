using System.Net.Http.Headers;
using System.Text;

namespace Portal.Logs.Elasticsearch;

/// <summary>
/// The <c>Authorization</c> header Portal sends (ApiKey, or Basic from the settings or the URL's user info; none for
/// SigV4, which a handler signs) and every secret it is made of, so that no message shows one.
/// </summary>
internal sealed class ElasticsearchCredentials
{
    /// <summary>Shorter strings are not redacted: replacing them would garble messages and they protect nothing.</summary>
    private const int ShortestSecret = 3;

    private readonly string[] _secrets;

    public ElasticsearchCredentials(ElasticsearchOptions options)
    {
        var auth = options.Authentication;
        var secrets = new List<string?> { auth.ApiKey, auth.Password };
        string? user = null, password = null;
        if (options.Url?.UserInfo is { Length: > 0 } userInfo)
        {
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            user = Uri.UnescapeDataString(colon < 0 ? userInfo : userInfo[..colon]);
            password = colon < 0 ? "" : Uri.UnescapeDataString(userInfo[(colon + 1)..]);
            secrets.AddRange([userInfo, password, colon < 0 ? null : userInfo[(colon + 1)..]]);
        }

        if (auth.Mode == ElasticsearchAuthenticationMode.Basic)
        {
            (user, password) = (auth.Username, auth.Password);
        }

        Authorization = auth.Mode switch
        {
            ElasticsearchAuthenticationMode.ApiKey => new AuthenticationHeaderValue("ApiKey", auth.ApiKey),
            ElasticsearchAuthenticationMode.AwsSigV4 => null,
            _ when user is not null => new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"))),
            _ => null,
        };
        secrets.Add(Authorization?.Parameter);
        _secrets = [.. secrets.OfType<string>().Where(s => s.Length >= ShortestSecret).Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length)];
    }

    public AuthenticationHeaderValue? Authorization { get; }

    /// <summary>Replaces every secret in a message, in case a transport or the engine echoes one back.</summary>
    public string Redact(string message)
    {
        foreach (var secret in _secrets)
        {
            message = message.Replace(secret, "***", StringComparison.Ordinal);
        }

        return message;
    }
}
