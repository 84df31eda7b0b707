using Microsoft.AspNetCore.Components;
using Portal.Core.Catalog;

namespace Portal.Web.Features.Catalog;

public sealed partial class ServiceHeader
{
    [Parameter, EditorRequired]
    public ServiceDefinition Service { get; set; } = default!;

    [Parameter]
    public bool MayEdit { get; set; }

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    private string Defaults
    {
        get
        {
            var r = Service.Resources;
            var parts = new List<string>
            {
                $"{Service.DefaultReplicas} replica{(Service.DefaultReplicas == 1 ? "" : "s")}",
                $"CPU {r.CpuRequest}{(r.CpuLimit.Length > 0 ? $"–{r.CpuLimit}" : "")}",
                $"memory {r.MemoryRequest}{(r.MemoryLimit.Length > 0 ? $"–{r.MemoryLimit}" : "")}",
            };
            if (Service.HealthCheckPath is { } path)
            {
                parts.Add($"health check {path}");
            }

            if (Service.Env.Count + Service.Secrets.Count > 0)
            {
                parts.Add($"{Service.Env.Count} variable{(Service.Env.Count == 1 ? "" : "s")}, {Service.Secrets.Count} from secrets");
            }

            return string.Join(" · ", parts);
        }
    }
}
