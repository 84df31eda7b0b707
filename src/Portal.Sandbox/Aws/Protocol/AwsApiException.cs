namespace Portal.Sandbox.Aws.Protocol;

/// <summary>
/// A failure answered the way the AWS service answers it: an HTTP status, a JSON body with <c>__type</c> and
/// <c>message</c> and, for a query-compatible service, the Query error code (<c>x-amzn-query-error: Code;Sender</c>).
/// <see cref="Type"/> is the shape name; a modeled error is prefixed with the service's namespace on the wire.
/// </summary>
internal sealed class AwsApiException(int status, string type, string message, string? queryCode = null, bool modeled = true, string? typeNamespace = null)
    : Exception(message)
{
    private const string Coral = "com.amazon.coral.service";

    public int Status { get; } = status;

    /// <summary>The error shape's name, e.g. <c>InvalidNextToken</c>.</summary>
    public string Type { get; } = type;

    /// <summary>The Query protocol's code for the same error, e.g. <c>InvalidParameterValue</c>; null: the shape name.</summary>
    public string? QueryCode { get; } = queryCode;

    /// <summary>Whether the service's model declares the error (namespaced by the service) or the framework raises it.</summary>
    public bool Modeled { get; } = modeled;

    /// <summary>A framework namespace (<c>com.amazon.coral.validate</c>) for an error the model does not declare.</summary>
    public string? TypeNamespace { get; } = typeNamespace;

    public string WireType(AwsJsonService service) => $"{(Modeled ? service.ErrorNamespace : TypeNamespace ?? Coral)}#{Type}";

    public string QueryError => $"{QueryCode ?? Type};{(Status >= 500 ? "Receiver" : "Sender")}";

    // The framework's errors, common to every AWS JSON service (coral's names and messages).

    public static AwsApiException MissingAuthenticationToken() =>
        new(403, "MissingAuthenticationTokenException", "Request is missing Authentication Token", "MissingAuthenticationToken", modeled: false);

    public static AwsApiException IncompleteSignature(string message) =>
        new(400, "IncompleteSignatureException", message, "IncompleteSignature", modeled: false);

    public static AwsApiException UnrecognizedClient() =>
        new(403, "UnrecognizedClientException", "The security token included in the request is invalid.", "InvalidClientTokenId", modeled: false);

    public static AwsApiException InvalidSignature(string message) =>
        new(403, "InvalidSignatureException", message, "SignatureDoesNotMatch", modeled: false);

    public static AwsApiException UnknownOperation() =>
        new(400, "UnknownOperationException", "The requested operation is not recognized by the service.", "InvalidAction", modeled: false);

    public static AwsApiException Serialization(string message) =>
        new(400, "SerializationException", message, "MalformedInput", modeled: false);

    public static AwsApiException Validation(string message) =>
        new(400, "ValidationException", message, "ValidationError", modeled: false, typeNamespace: "com.amazon.coral.validate");

    public static AwsApiException InternalFailure() =>
        new(500, "InternalFailure", "The request processing has failed because of an unknown error, exception or failure.", "InternalFailure", modeled: false);
}
