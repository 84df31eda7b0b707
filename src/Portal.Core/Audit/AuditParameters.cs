using System.Text.Json;

namespace Portal.Core.Audit;

/// <summary>Serialises an action's parameters for the audit trail, masking anything that looks like a secret.</summary>
public static class AuditParameters
{
    public const string Mask = "***";

    private static readonly string[] SecretWords = ["password", "secret", "token", "credential", "apikey", "api_key", "privatekey", "connectionstring"];

    public static string Serialize(IReadOnlyDictionary<string, object?>? parameters)
    {
        if (parameters is null || parameters.Count == 0)
        {
            return "{}";
        }

        var masked = parameters.ToDictionary(p => p.Key, p => IsSecret(p.Key) ? Mask : p.Value, StringComparer.Ordinal);
        return JsonSerializer.Serialize(masked, AuditJson.Options);
    }

    public static bool IsSecret(string key)
    {
        var normalized = key.Replace("-", "", StringComparison.Ordinal).Replace(".", "", StringComparison.Ordinal);
        return SecretWords.Any(w => normalized.Contains(w, StringComparison.OrdinalIgnoreCase));
    }

    private static class AuditJson
    {
        public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
    }
}
