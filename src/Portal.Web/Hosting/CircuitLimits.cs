using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Portal.Web.Hosting;

/// <summary>
/// The <c>Circuits</c> section applied to Blazor's <see cref="CircuitOptions"/> and to the hub options of its
/// connections. The hub options are set on the global <see cref="HubOptions"/>, which SignalR copies into every hub's
/// own (Blazor's hub is the only one Portal maps), because Blazor's hub type is internal and the framework's
/// <c>AddHubOptions</c> callback cannot read validated options.
/// </summary>
internal static class CircuitLimits
{
    public static IHostApplicationBuilder AddPortalCircuitLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CircuitLimitsOptions>().Bind(builder.Configuration.GetSection(CircuitLimitsOptions.SectionName)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<CircuitLimitsOptions>, CircuitLimitsOptionsValidator>();
        builder.Services.AddOptions<CircuitOptions>().Configure<IOptions<CircuitLimitsOptions>>((o, limits) =>
        {
            var l = limits.Value;
            o.DisconnectedCircuitRetentionPeriod = l.DisconnectedCircuitRetentionPeriod;
            o.DisconnectedCircuitMaxRetained = l.DisconnectedCircuitMaxRetained;
            o.MaxBufferedUnacknowledgedRenderBatches = l.MaxBufferedUnacknowledgedRenderBatches;
            o.JSInteropDefaultCallTimeout = l.JSInteropDefaultCallTimeout;
        });
        builder.Services.AddOptions<HubOptions>().Configure<IOptions<CircuitLimitsOptions>>((o, limits) =>
        {
            var l = limits.Value;
            o.MaximumReceiveMessageSize = l.MaximumReceiveMessageSize;
            o.ClientTimeoutInterval = l.ClientTimeoutInterval;
            o.KeepAliveInterval = l.KeepAliveInterval;
            o.MaximumParallelInvocationsPerClient = l.MaximumParallelInvocationsPerClient;
        });
        return builder;
    }
}
