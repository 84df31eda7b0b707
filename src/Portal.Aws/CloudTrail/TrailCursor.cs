using System.Buffers.Text;
using System.Text.Json;
using Portal.Core.Alarms;

namespace Portal.Aws.CloudTrail;

/// <summary>
/// Where each account's stream of events stands between pages of a merged trail: the CloudTrail <c>NextToken</c> of
/// the page to read next (null: the first page), how many of that page's events were already shown, or that the
/// account has no more. It travels to the browser as one opaque, URL-safe token; CloudTrail's tokens in it are not
/// secrets.
/// </summary>
internal sealed record TrailCursor(IReadOnlyDictionary<string, TrailPosition?> Accounts)
{
    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    /// <summary>Every account at its first page.</summary>
    public static TrailCursor Start(IEnumerable<string> accounts) => new(accounts.ToDictionary(a => a, _ => (TrailPosition?)new TrailPosition(null, 0), StringComparer.Ordinal));

    /// <summary>The position of <paramref name="account"/>; null when it has no more events (or was not part of the query).</summary>
    public TrailPosition? PositionOf(string account) => Accounts.TryGetValue(account, out var position) ? position : null;

    public bool Done => Accounts.Values.All(p => p is null);

    public string Encode() => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(Accounts, Json));

    /// <exception cref="AlarmSourceException">The token was not made by <see cref="Encode"/>.</exception>
    public static TrailCursor Decode(string token)
    {
        try
        {
            var accounts = JsonSerializer.Deserialize<Dictionary<string, TrailPosition?>>(Base64Url.DecodeFromChars(token), Json);
            if (accounts is null || accounts.Values.Any(p => p is { Skip: < 0 }))
            {
                throw new FormatException("Not a trail cursor.");
            }

            return new TrailCursor(new Dictionary<string, TrailPosition?>(accounts, StringComparer.Ordinal));
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            throw new AlarmSourceException(AwsFailure.InvalidRequest, "The trail's page token is not valid; start again from the first page.", ex);
        }
    }
}

/// <param name="Token">The CloudTrail <c>NextToken</c> that reads the page; null for the first page.</param>
/// <param name="Skip">How many of that page's events were already returned.</param>
internal sealed record TrailPosition(string? Token, int Skip);
