using System.Security.Claims;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.JSInterop;
using Portal.Core.Authorization;
using Portal.Core.Environments;
using Portal.Web.Components.Shared;
using Portal.Web.Features;
using Radzen;

namespace Portal.Web.Tests.Components;

/// <summary>
/// Renders components with the shared framework's HtmlRenderer (bunit cannot be restored here) and parses the HTML
/// with AngleSharp. One context registers every fake a shell component needs; tests change what they care about.
/// </summary>
public sealed class ComponentTestContext
{
    public FakeEnvironmentCatalog Catalog { get; } = new();

    public ClaimsPrincipal User { get; set; } = new(new ClaimsIdentity());

    public string Uri { get; set; } = "http://portal.test/";

    public List<PortalFeature> Features { get; } =
    [
        new("environments", "Environments", "dns", "environments", 10, "Environments summary."),
        new("logs", "Logs", "manage_search", "logs", 40, "Logs summary."),
        new("deployments", "Deployments", "rocket_launch", "deployments", 20, "Deployments summary."),
    ];

    public async Task<IDocument> RenderAsync<TComponent>(Dictionary<string, object?>? parameters = null)
        where TComponent : IComponent
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IJSRuntime, UnavailableJsRuntime>();
        services.AddSingleton<NavigationManager>(new TestNavigationManager("http://portal.test/", Uri));
        services.AddSingleton<IEnvironmentCatalog>(Catalog);
        services.AddSingleton<AuthenticationStateProvider>(new FixedAuthenticationStateProvider(User));
        services.AddAuthorizationCore();
        services.AddCascadingAuthenticationState();
        services.AddRadzenComponents();
        services.AddScoped<EnvironmentContext>();
        services.AddScoped<CurrentUser>();
        services.AddSingleton<Microsoft.AspNetCore.Http.IHttpContextAccessor, Microsoft.AspNetCore.Http.HttpContextAccessor>();
        foreach (var feature in Features)
        {
            services.AddSingleton(feature);
        }

        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        await using var renderer = new HtmlRenderer(scope.ServiceProvider, NullLoggerFactory.Instance);
        var html = await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters ?? []));
            return output.ToHtmlString();
        });
        return new HtmlParser().ParseDocument(html);
    }

    public sealed class FakeEnvironmentCatalog : IEnvironmentCatalog
    {
        public List<EnvironmentSummary> Environments { get; } =
        [
            new("dev", "Development", EnvironmentTier.Dev),
            new("prod", "Production", EnvironmentTier.Prod),
        ];

        public Exception? Failure { get; set; }

        /// <summary>Who the last caller asked as: the switcher must ask for the signed-in user's environments.</summary>
        public PortalPrincipal? AskedFor { get; private set; }

        public Task<IReadOnlyList<EnvironmentSummary>> ListAsync(PortalPrincipal who, CancellationToken cancellationToken)
        {
            AskedFor = who;
            return Failure is null ? Task.FromResult<IReadOnlyList<EnvironmentSummary>>(Environments) : Task.FromException<IReadOnlyList<EnvironmentSummary>>(Failure);
        }
    }

    private sealed class TestNavigationManager : NavigationManager
    {
        public TestNavigationManager(string baseUri, string uri) => Initialize(baseUri, uri);

        protected override void NavigateToCore(string uri, NavigationOptions options) => Uri = ToAbsoluteUri(uri).ToString();
    }

    private sealed class FixedAuthenticationStateProvider(ClaimsPrincipal user) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(user));
    }

    /// <summary>Static rendering never reaches JavaScript; a component that tries is a bug the test should see.</summary>
    private sealed class UnavailableJsRuntime : IJSRuntime
    {
        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) =>
            throw new InvalidOperationException($"JS call '{identifier}' during static rendering.");

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args) =>
            throw new InvalidOperationException($"JS call '{identifier}' during static rendering.");
    }
}
