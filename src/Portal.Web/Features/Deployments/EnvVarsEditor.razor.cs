using Microsoft.AspNetCore.Components;
using Portal.Core.Catalog;

namespace Portal.Web.Features.Deployments;

public sealed partial class EnvVarsEditor
{
    /// <summary>The form's rows; their text is edited here, adding and removing is the owner's.</summary>
    [Parameter, EditorRequired]
    public IReadOnlyList<EnvVarRow> Rows { get; set; } = [];

    [Parameter]
    public IReadOnlyList<SecretReference> Secrets { get; set; } = [];

    [Parameter]
    public EventCallback Add { get; set; }

    [Parameter]
    public EventCallback<EnvVarRow> Remove { get; set; }
}
