namespace Portal.Kubernetes.Model;

/// <summary>The API server's error body (kind Status): why a request failed.</summary>
public sealed class ApiStatus
{
    public string? Kind { get; set; }

    /// <summary>"Failure" or "Success".</summary>
    public string? Status { get; set; }

    public string? Message { get; set; }

    /// <summary>Machine-readable: NotFound, Forbidden, Expired, Conflict, AlreadyExists, Invalid, …</summary>
    public string? Reason { get; set; }

    public int Code { get; set; }
}
