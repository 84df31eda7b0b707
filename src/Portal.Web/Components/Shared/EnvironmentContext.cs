namespace Portal.Web.Components.Shared;

/// <summary>
/// The environment the user is working in, per circuit. The switcher sets it from the URL's <c>env</c> query
/// parameter (so links are shareable); pages and the navigation read it and listen to <see cref="Changed"/>.
/// </summary>
public sealed class EnvironmentContext
{
    public const string QueryParameter = "env";

    public IReadOnlyList<EnvironmentSummary> Available { get; private set; } = [];

    public EnvironmentSummary? Current { get; private set; }

    public event Action? Changed;

    /// <summary>
    /// Takes the list of environments and the name asked for. An unknown or missing name keeps the current choice
    /// when it still exists, else falls back to the first environment.
    /// </summary>
    public void Update(IReadOnlyList<EnvironmentSummary> available, string? requested)
    {
        var next = available.FirstOrDefault(e => e.Name == requested)
            ?? available.FirstOrDefault(e => e.Name == Current?.Name)
            ?? available.FirstOrDefault();
        var changed = !ReferenceEquals(Available, available) || next != Current;
        Available = available;
        Current = next;
        if (changed)
        {
            Changed?.Invoke();
        }
    }

    /// <summary><c>?env=name</c> for links that keep the current environment, or empty.</summary>
    public string Query => Current is null ? "" : $"?{QueryParameter}={Uri.EscapeDataString(Current.Name)}";
}
