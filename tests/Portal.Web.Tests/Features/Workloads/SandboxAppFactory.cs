using Portal.Web.Tests.Authorization;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.Features.Workloads;

/// <summary>The app with its embedded sandbox cluster running (demo environments dev, test, staging, prod) and one user per role.</summary>
public sealed class SandboxAppFactory : IDisposable
{
    public SandboxAppFactory()
    {
        App = new PortalAppFactory();
        App.Settings["Kubernetes:Sandbox:Enabled"] = "true";
        MatrixAppFactory.AddRoleUsers(App);
    }

    public PortalAppFactory App { get; }

    public void Dispose() => App.Dispose();
}
