using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Portal.Testing;

namespace Portal.Web.Tests.Hosting;

/// <summary>The real app in-process (TestServer), with its data in a temp directory and settings overridable per test.</summary>
public sealed class PortalAppFactory : WebApplicationFactory<Program>
{
    private readonly TempDirectory _data = new("portal-web");

    public Dictionary<string, string?> Settings { get; } = [];

    public string DataDirectory => _data.Path;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(new Dictionary<string, string?>(Settings)
        {
            ["Data:Directory"] = _data.Path,
        }));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _data.Dispose();
        }
    }
}
