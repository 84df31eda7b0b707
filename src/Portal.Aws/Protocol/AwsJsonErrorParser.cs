using System.Text.Json;

namespace Portal.Aws.Protocol;

/// <summary>
/// Reads an awsJson1_0/awsJson1_1 error response the way botocore does: the code from <c>__type</c>, else <c>code</c>,
/// else the <c>X-Amzn-Errortype</c> header, else the HTTP status; for a query-compatible service the
/// <c>x-amzn-query-error</c> header (<c>Code;Sender</c>) wins. The message is <c>message</c> or <c>Message</c>.
/// </summary>
public static class AwsJsonErrorParser
{
    public static AwsServiceError Parse(int statusCode, Func<string, string?> header, ReadOnlySpan<byte> body, bool queryCompatible)
    {
        string? type = null;
        string? message = null;
        try
        {
            if (!body.IsEmpty)
            {
                using var document = JsonDocument.Parse(body.ToArray());
                if (document.RootElement.ValueKind == JsonValueKind.Object)
                {
                    type = Text(document.RootElement, "__type") ?? Text(document.RootElement, "code");
                    message = Text(document.RootElement, "message") ?? Text(document.RootElement, "Message");
                }
            }
        }
        catch (JsonException)
        {
            // A proxy's HTML page or a truncated body: the status code is all there is.
        }

        type ??= header("X-Amzn-Errortype");
        var code = string.IsNullOrWhiteSpace(type) ? statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : AwsServiceError.CleanCode(type);
        if (queryCompatible && header("x-amzn-query-error") is { } queryError)
        {
            var parts = queryError.Split(';');
            if (parts.Length == 2 && parts[0].Length > 0)
            {
                code = parts[0];
            }
        }

        return new AwsServiceError(statusCode, code, message ?? "");
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
