using Portal.Core.Authorization;
using Portal.Core.Validation;

namespace Portal.Core.Actions;

/// <summary>The outcome of a guarded action. Callers map it to HTTP (problem+json) or to a message in the UI.</summary>
public abstract record ActionResult<T>
{
    public sealed record Ok(T Value) : ActionResult<T>;

    public sealed record Denied(AccessDecision Decision) : ActionResult<T>;

    public sealed record Invalid(ValidationErrors Errors) : ActionResult<T>;

    public sealed record NotFound(string What) : ActionResult<T>;

    public sealed record Conflict(string Message) : ActionResult<T>;

    /// <summary>A system the action needs (a cluster, say) did not answer; nothing was changed by Portal.</summary>
    public sealed record Unavailable(string Message) : ActionResult<T>;

    public bool Succeeded => this is Ok;

    /// <summary>One sentence for a notification or a log line.</summary>
    public string Describe() => this switch
    {
        Ok => "Done.",
        Denied d => d.Decision.Reason,
        Invalid i => i.Errors.ToString(),
        NotFound n => $"{n.What} was not found.",
        Conflict c => c.Message,
        Unavailable u => u.Message,
        _ => "Unknown outcome.",
    };
}

/// <summary>Thrown inside an action body when something it needs does not exist.</summary>
public sealed class NotFoundException(string what) : Exception($"{what} was not found.")
{
    public string What { get; } = what;
}

/// <summary>Thrown inside an action body (or by a store) when the change conflicts with the current state.</summary>
public sealed class ConflictException(string message) : Exception(message);

/// <summary>Thrown inside an action body when a system it needs (a cluster, a log store) is down or refuses Portal.</summary>
public sealed class DependencyUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
