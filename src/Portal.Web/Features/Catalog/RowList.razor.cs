using Microsoft.AspNetCore.Components;

namespace Portal.Web.Features.Catalog;

/// <summary>One row as its template sees it: the item, its position, and where its first input registers for focus.</summary>
public sealed class RowContext<TRow>(TRow item, int index)
{
    public TRow Item { get; } = item;

    public int Index { get; } = index;

    /// <summary>1-based, for labels people read.</summary>
    public int Number => Index + 1;

    /// <summary>The row's first input (<c>@ref="context.First"</c>): focused when the row was just added.</summary>
    public IRadzenFormComponent? First { get; set; }
}

public sealed partial class RowList<TRow>
    where TRow : class
{
    private RowContext<TRow>? _last;
    private bool _focusLast;

    [Parameter, EditorRequired]
    public List<TRow> Rows { get; set; } = [];

    [Parameter, EditorRequired]
    public RenderFragment<RowContext<TRow>> Row { get; set; } = default!;

    /// <summary>Makes a new, empty row.</summary>
    [Parameter, EditorRequired]
    public Func<TRow> New { get; set; } = default!;

    [Parameter, EditorRequired]
    public string Legend { get; set; } = "";

    /// <summary>What one row is, in words: "port" makes "Add port" and "Remove port 2".</summary>
    [Parameter, EditorRequired]
    public string ItemName { get; set; } = "";

    /// <summary>The CSS grid columns of a row's inputs (the remove button gets one more).</summary>
    [Parameter]
    public string Columns { get; set; } = "1fr 1fr";

    [Parameter]
    public string TestId { get; set; } = "rows";

    /// <summary>Below the rows: the list's own validation message, a hint.</summary>
    [Parameter]
    public RenderFragment? ChildContent { get; set; }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_focusLast && _last?.First is { } input)
        {
            _focusLast = false;
            await input.FocusAsync();
        }
    }

    private RowContext<TRow> Track(RowContext<TRow> context)
    {
        _last = context;
        return context;
    }

    private void Add()
    {
        Rows.Add(New());
        _focusLast = true;
    }
}
