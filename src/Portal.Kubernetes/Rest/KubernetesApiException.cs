using System.Net;

namespace Portal.Kubernetes.Rest;

/// <summary>The API server refused a request; carries its Status reason and message.</summary>
public sealed class KubernetesApiException(HttpStatusCode statusCode, string? reason, string message)
    : Exception($"{(int)statusCode} {reason ?? statusCode.ToString()}: {message}")
{
    public HttpStatusCode StatusCode { get; } = statusCode;

    public string? Reason { get; } = reason;

    public string ApiMessage { get; } = message;

    /// <summary>A continue token or resource version too old to use: start the list again.</summary>
    public bool IsExpired => StatusCode == HttpStatusCode.Gone || Reason == "Expired";
}
