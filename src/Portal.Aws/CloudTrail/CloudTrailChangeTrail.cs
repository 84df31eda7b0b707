using System.Text.Json;
using Portal.Aws.Accounts;
using Portal.Core.Alarms;

namespace Portal.Aws.CloudTrail;

/// <summary>
/// The <see cref="IChangeTrail"/> over CloudTrail <c>LookupEvents</c> in the accounts that serve an environment,
/// merged newest first. One opaque token carries every account's position, so paging through the merged trail shows
/// each event once. If any of those accounts cannot be read the lookup fails, naming it: a page silently missing an
/// account's changes would mislead more than an error.
/// </summary>
public sealed class CloudTrailChangeTrail(AwsAccounts accounts) : IChangeTrail
{
    /// <summary>Pages read per account per lookup at most: CloudTrail may answer empty pages that still carry a NextToken.</summary>
    private const int MaxPagesPerAccount = 5;

    public async Task<TrailPage> LookupAsync(string environment, TrailQuery query, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        var serving = accounts.Where(a => a.Account.Serves(environment)).ToList();
        var cursor = query.NextToken is null ? TrailCursor.Start(serving.Select(a => a.Account.Name)) : TrailCursor.Decode(query.NextToken);
        var streams = await Task.WhenAll(serving.Select(a => ReadAsync(a, cursor.PositionOf(a.Account.Name), query, ct)));

        var taken = new List<TrailEvent>(query.Limit);
        var consumed = new int[streams.Length];
        while (taken.Count < query.Limit)
        {
            var next = -1;
            for (var i = 0; i < streams.Length; i++)
            {
                if (consumed[i] < streams[i].Candidates.Count
                    && (next < 0 || streams[i].Candidates[consumed[i]].Event.Time > streams[next].Candidates[consumed[next]].Event.Time))
                {
                    next = i;
                }
            }

            if (next < 0)
            {
                break;
            }

            taken.Add(streams[next].Candidates[consumed[next]++].Event);
        }

        var positions = new Dictionary<string, TrailPosition?>(StringComparer.Ordinal);
        for (var i = 0; i < streams.Length; i++)
        {
            var stream = streams[i];
            positions[serving[i].Account.Name] = consumed[i] < stream.Candidates.Count ? stream.Candidates[consumed[i]].Position : stream.Frontier;
        }

        var after = new TrailCursor(positions);
        return new TrailPage(taken, after.Done ? null : after.Encode());
    }

    /// <summary>
    /// Up to <see cref="TrailQuery.Limit"/> events of one account from its position on, each with the position that
    /// reads it, and the position after the last one read (null: the account has no more).
    /// </summary>
    private static async Task<AccountStream> ReadAsync(AwsAccountClients account, TrailPosition? position, TrailQuery query, CancellationToken ct)
    {
        var candidates = new List<(TrailEvent Event, TrailPosition Position)>();
        if (position is null)
        {
            return new AccountStream(candidates, null);
        }

        var token = position.Token;
        var skip = position.Skip;
        for (var pages = 0; pages < MaxPagesPerAccount && candidates.Count < query.Limit; pages++)
        {
            var response = await account.CloudTrail.LookupEventsAsync(new LookupEventsRequest
            {
                LookupAttributes = query.Attribute is { } a ? [new LookupAttribute(a.Key.ToString(), a.Value)] : null,
                StartTime = query.From,
                EndTime = query.To,
                MaxResults = CloudTrailClient.MaxResults,
                NextToken = token,
            }, ct);
            var events = response.Events ?? [];
            for (var i = skip; i < events.Count; i++)
            {
                if (Map(events[i], account.Account.Name) is { } mapped)
                {
                    candidates.Add((mapped, new TrailPosition(token, i)));
                }
            }

            if (string.IsNullOrEmpty(response.NextToken))
            {
                return new AccountStream(candidates, null);
            }

            token = response.NextToken;
            skip = 0;
        }

        return new AccountStream(candidates, new TrailPosition(token, skip));
    }

    private static TrailEvent? Map(Event e, string account)
    {
        if (e.EventId is null || e.EventTime is null)
        {
            return null;
        }

        return new TrailEvent(
            e.EventId,
            e.EventTime.Value,
            e.EventName ?? "",
            e.EventSource ?? "",
            e.Username,
            ReadOnly(e),
            (e.Resources ?? []).Select(r => new TrailResource(r.ResourceType, r.ResourceName)).ToList(),
            account,
            CloudTrailEventSanitizer.Sanitize(e.CloudTrailEvent));
    }

    /// <summary>The event's <c>ReadOnly</c> string, else the record's <c>readOnly</c>; unknown counts as a write.</summary>
    private static bool ReadOnly(Event e)
    {
        if (bool.TryParse(e.ReadOnly, out var readOnly))
        {
            return readOnly;
        }

        if (e.CloudTrailEvent is null)
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(e.CloudTrailEvent);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("readOnly", out var value)
                && (value.ValueKind == JsonValueKind.True || (value.ValueKind == JsonValueKind.String && bool.TryParse(value.GetString(), out var b) && b));
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private sealed record AccountStream(IReadOnlyList<(TrailEvent Event, TrailPosition Position)> Candidates, TrailPosition? Frontier);
}
