using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Portal.Core.Logs.Kql;

namespace Portal.Web.Features.Logs;

/// <summary>
/// Discover's query bar: KQL parsed on every keystroke with <see cref="KqlParser"/>, so a syntax error shows (message
/// and marked position) before anything is sent, and Search stays disabled while the text is not KQL. Enter searches.
/// </summary>
public sealed partial class KqlQueryBar
{
    private string _text = "";
    private string? _shown;
    private KqlSyntaxException? _error;
    private ElementReference _input;

    /// <summary>The query searched for (from the URL); typing does not change it until Search.</summary>
    [Parameter, EditorRequired]
    public string Value { get; set; } = "";

    /// <summary>What the server said about the query (the back end refused it, say).</summary>
    [Parameter]
    public IReadOnlyList<string> ServerErrors { get; set; } = [];

    /// <summary>A search is running.</summary>
    [Parameter]
    public bool Busy { get; set; }

    [Parameter]
    public EventCallback<string> OnSubmit { get; set; }

    /// <summary>The input, for the "/" shortcut.</summary>
    public ElementReference Input => _input;

    /// <summary>The text split around the error's position: before it, the character there (a space past the end), after it.</summary>
    internal static (string Before, string At, string After) Mark(string text, int position)
    {
        var at = Math.Clamp(position, 0, text.Length);
        return at < text.Length ? (text[..at], text[at..(at + 1)], text[(at + 1)..]) : (text, " ", "");
    }

    protected override void OnParametersSet()
    {
        if (_shown != Value)
        {
            // A new search arrived (Back, a saved search, a pill): the box shows it.
            _shown = Value;
            _text = Value;
            Check();
        }
    }

    private async Task OnKeyDownAsync(KeyboardEventArgs e)
    {
        if (e.Key == "Enter")
        {
            await SubmitAsync();
        }
    }

    private async Task SubmitAsync()
    {
        if (_error is null)
        {
            await OnSubmit.InvokeAsync(_text.Trim());
        }
    }

    private void Check()
    {
        try
        {
            KqlParser.Parse(_text);
            _error = null;
        }
        catch (KqlSyntaxException ex)
        {
            _error = ex;
        }
    }
}
