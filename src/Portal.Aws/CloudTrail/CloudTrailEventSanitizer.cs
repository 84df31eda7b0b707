using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portal.Aws.CloudTrail;

/// <summary>
/// Removes credentials from a <c>CloudTrailEvent</c> document before anyone sees it: every property named
/// <c>accessKeyId</c>, <c>sessionToken</c>, <c>secretAccessKey</c> or <c>password</c> (any case), at any depth
/// (an <c>AssumeRole</c> event's <c>responseElements.credentials</c> carries a session token).
/// </summary>
public static class CloudTrailEventSanitizer
{
    private static readonly HashSet<string> Removed = new(StringComparer.OrdinalIgnoreCase) { "accessKeyId", "sessionToken", "secretAccessKey", "password" };

    /// <summary>The document without those properties, compact; null when there is none or it is not JSON (it is then not shown at all).</summary>
    public static string? Sanitize(string? cloudTrailEvent)
    {
        if (string.IsNullOrWhiteSpace(cloudTrailEvent))
        {
            return null;
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(cloudTrailEvent);
        }
        catch (JsonException)
        {
            return null;
        }

        Strip(root);
        return root?.ToJsonString();
    }

    private static void Strip(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).Where(Removed.Contains).ToList())
                {
                    obj.Remove(name);
                }

                foreach (var (_, child) in obj)
                {
                    Strip(child);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    Strip(child);
                }

                break;
        }
    }
}
