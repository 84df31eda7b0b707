using System.Text.Encodings.Web;
using System.Text.Json;
using Portal.Core.Logs;

namespace Portal.Web.Features.Logs;

/// <summary>A hit's fields as the results show them: a column's text, the line itself, the pod it came from, its JSON.</summary>
public static class LogHitText
{
    /// <summary>The fields that hold the line a container wrote, in the order they are looked for.</summary>
    public static IReadOnlyList<string> MessageFields { get; } = ["log", "message", "msg"];

    public const string PodField = "kubernetes.pod_name";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The column's value as text; empty when the hit lacks it.</summary>
    public static string Cell(LogHit hit, string field) => LogDocumentFields.Display(LogDocumentFields.Get(hit.Source, field)) ?? "";

    /// <summary>The line the container wrote (<c>log</c>, else <c>message</c>), else the whole document as compact JSON.</summary>
    public static string Message(LogHit hit)
    {
        foreach (var field in MessageFields)
        {
            if (LogDocumentFields.Get(hit.Source, field) is { } value)
            {
                return LogDocumentFields.Display(value) ?? "";
            }
        }

        return LogDocumentFields.Display(hit.Source) ?? "";
    }

    public static string? Pod(LogHit hit) => Cell(hit, PodField) is { Length: > 0 } pod ? pod : null;

    /// <summary>The pod page of the hit's pod, when it names one.</summary>
    public static string? PodLink(LogHit hit) => Pod(hit) is { } pod ? LogMarkersService.PodLink(hit.Environment, pod) : null;

    /// <summary>The document as shipped, pretty-printed.</summary>
    public static string Json(LogHit hit) => hit.Source.ToJsonString(Indented);
}
