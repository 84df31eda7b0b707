namespace Portal.Core.Validation;

/// <summary>Field errors, keyed by the field's wire name (camelCase), each a sentence that says what is wrong.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsEmpty => _errors.Count == 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
    }

    public IDictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    public override string ToString() => string.Join(" ", _errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}")));
}

/// <summary>Thrown by a use case when input is invalid; the caller turns it into a 400 or into field messages.</summary>
public sealed class ValidationFailedException(ValidationErrors errors) : Exception(errors.ToString())
{
    public ValidationErrors Errors { get; } = errors;
}
