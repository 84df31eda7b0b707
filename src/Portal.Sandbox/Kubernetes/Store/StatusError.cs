using System.Net;
using System.Text.Json.Nodes;

namespace Portal.Sandbox.Kubernetes.Store;

/// <summary>
/// A failure the API answers with a <c>Status</c> object, with the same codes, reasons and message wording as
/// the real API server, so clients (ours, kubectl) react to the sandbox as they would to a cluster.
/// </summary>
public sealed class StatusError(HttpStatusCode code, string reason, string message, JsonObject? details = null) : Exception(message)
{
    public HttpStatusCode Code { get; } = code;

    public string Reason { get; } = reason;

    public JsonObject? Details { get; } = details;

    public JsonObject ToStatus() => Status(Code, Reason, Message, Details);

    public static JsonObject Status(HttpStatusCode code, string reason, string message, JsonObject? details = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
            ["code"] = (int)code,
        };
        if (details is not null)
        {
            status["details"] = details;
        }

        return status;
    }

    private static JsonObject DetailsFor(ResourceType type, string? name)
    {
        var d = new JsonObject();
        if (name is not null)
        {
            d["name"] = name;
        }

        if (type.Group.Length > 0)
        {
            d["group"] = type.Group;
        }

        d["kind"] = type.Plural;
        return d;
    }

    public static StatusError NotFound(ResourceType type, string name) =>
        new(HttpStatusCode.NotFound, "NotFound", $"{type.QualifiedName} \"{name}\" not found", DetailsFor(type, name));

    public static StatusError AlreadyExists(ResourceType type, string name) =>
        new(HttpStatusCode.Conflict, "AlreadyExists", $"{type.QualifiedName} \"{name}\" already exists", DetailsFor(type, name));

    public static StatusError Conflict(ResourceType type, string name) =>
        new(HttpStatusCode.Conflict, "Conflict",
            $"Operation cannot be fulfilled on {type.QualifiedName} \"{name}\": the object has been modified; please apply your changes to the latest version and try again",
            DetailsFor(type, name));

    public static StatusError Forbidden(ResourceType type, string name, string why) =>
        new(HttpStatusCode.Forbidden, "Forbidden", $"{type.QualifiedName} \"{name}\" is forbidden: {why}", DetailsFor(type, name));

    /// <summary>422 with one cause per field, as <c>field.ErrorList</c> renders them.</summary>
    public static StatusError Invalid(ResourceType type, string name, IReadOnlyList<(string Field, string Message)> causes)
    {
        var details = DetailsFor(type, name);
        details["kind"] = type.Kind;
        details["causes"] = new JsonArray([.. causes.Select(c => (JsonNode)new JsonObject { ["reason"] = "FieldValueInvalid", ["message"] = c.Message, ["field"] = c.Field })]);
        var kind = type.Group.Length == 0 ? type.Kind : $"{type.Kind}.{type.Group}";
        var list = causes.Count == 1 ? causes[0].Message : "[" + string.Join(", ", causes.Select(c => c.Message)) + "]";
        return new(HttpStatusCode.UnprocessableEntity, "Invalid", $"{kind} \"{name}\" is invalid: {list}", details);
    }

    public static StatusError BadRequest(string message) => new(HttpStatusCode.BadRequest, "BadRequest", message);

    public static StatusError Expired(string message) => new(HttpStatusCode.Gone, "Expired", message);

    public static StatusError Gone(long requested, long oldest) =>
        new(HttpStatusCode.Gone, "Expired", $"too old resource version: {requested} ({oldest})");
}
