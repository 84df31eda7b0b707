using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Portal.Web.Hosting;

namespace Portal.Web.Tests.Hosting;

/// <summary>The <c>Circuits</c> section reaches Blazor's circuit options and the hub options of Blazor's own hub.</summary>
public sealed class CircuitLimitsTests
{
    [Fact]
    public void Settings_ReachCircuitOptionsAndBlazorsHubOptions()
    {
        using var app = new PortalAppFactory
        {
            Settings =
            {
                ["Circuits:DisconnectedCircuitRetentionPeriod"] = "00:01:30",
                ["Circuits:DisconnectedCircuitMaxRetained"] = "42",
                ["Circuits:MaxBufferedUnacknowledgedRenderBatches"] = "7",
                ["Circuits:JSInteropDefaultCallTimeout"] = "00:00:20",
                ["Circuits:MaximumReceiveMessageSize"] = "65536",
                ["Circuits:ClientTimeoutInterval"] = "00:00:50",
                ["Circuits:KeepAliveInterval"] = "00:00:10",
                ["Circuits:MaximumParallelInvocationsPerClient"] = "2",
            },
        };

        var circuit = app.Services.GetRequiredService<IOptions<CircuitOptions>>().Value;
        var hub = BlazorHubOptions(app.Services);

        (circuit.DisconnectedCircuitRetentionPeriod, circuit.DisconnectedCircuitMaxRetained, circuit.MaxBufferedUnacknowledgedRenderBatches, circuit.JSInteropDefaultCallTimeout)
            .ShouldBe((TimeSpan.FromSeconds(90), 42, 7, TimeSpan.FromSeconds(20)));
        (hub.MaximumReceiveMessageSize, hub.ClientTimeoutInterval, hub.KeepAliveInterval, hub.MaximumParallelInvocationsPerClient)
            .ShouldBe((65536L, (TimeSpan?)TimeSpan.FromSeconds(50), (TimeSpan?)TimeSpan.FromSeconds(10), 2));
    }

    [Fact]
    public void Defaults_AreTheDocumentedOnes_OnBlazorsHub()
    {
        using var app = new PortalAppFactory();

        var circuit = app.Services.GetRequiredService<IOptions<CircuitOptions>>().Value;
        var hub = BlazorHubOptions(app.Services);

        (circuit.DisconnectedCircuitRetentionPeriod, circuit.DisconnectedCircuitMaxRetained, circuit.MaxBufferedUnacknowledgedRenderBatches, circuit.JSInteropDefaultCallTimeout)
            .ShouldBe((TimeSpan.FromMinutes(3), 50, 10, TimeSpan.FromMinutes(1)), "the README's table");
        (hub.MaximumReceiveMessageSize, hub.ClientTimeoutInterval, hub.KeepAliveInterval, hub.MaximumParallelInvocationsPerClient)
            .ShouldBe((32768L, (TimeSpan?)TimeSpan.FromSeconds(30), (TimeSpan?)TimeSpan.FromSeconds(15), 1));
        hub.SupportedProtocols.ShouldNotBeNull().ShouldContain("blazorpack", "the global options must not replace Blazor's own protocol");
    }

    [Theory]
    [InlineData("Circuits:DisconnectedCircuitRetentionPeriod", "00:00:00")]
    [InlineData("Circuits:DisconnectedCircuitMaxRetained", "-1")]
    [InlineData("Circuits:MaxBufferedUnacknowledgedRenderBatches", "0")]
    [InlineData("Circuits:JSInteropDefaultCallTimeout", "01:00:00")]
    [InlineData("Circuits:MaximumReceiveMessageSize", "100")]
    [InlineData("Circuits:MaximumParallelInvocationsPerClient", "0")]
    [InlineData("Circuits:ClientTimeoutInterval", "00:00:20")]   // less than twice the 15-second keep-alive
    public async Task BadSetting_FailsStartNamingTheKey(string key, string value)
    {
        // A host with only this registration: the app's own start catches the exception and exits 2 with its message
        // (PortalCommandsTests covers that path for every section).
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection([new(key, value)]);
        builder.AddPortalCircuitLimits();
        using var host = builder.Build();

        var failure = await Should.ThrowAsync<OptionsValidationException>(() => host.StartAsync());

        failure.Message.ShouldContain(key);
    }

    [Fact]
    public async Task GoodSettings_Start()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection([new("Circuits:ClientTimeoutInterval", "00:00:30"), new("Circuits:KeepAliveInterval", "00:00:15")]);
        builder.AddPortalCircuitLimits();
        using var host = builder.Build();

        await host.StartAsync();
        await host.StopAsync();
    }

    /// <summary>The options SignalR uses for Blazor's hub, whose type is internal to the framework.</summary>
    private static HubOptions BlazorHubOptions(IServiceProvider services)
    {
        var hubType = typeof(CircuitOptions).Assembly.GetType("Microsoft.AspNetCore.Components.Server.ComponentHub", throwOnError: true)!;
        var options = (IOptions<HubOptions>)services.GetRequiredService(typeof(IOptions<>).MakeGenericType(typeof(HubOptions<>).MakeGenericType(hubType)));
        return options.Value;
    }
}
