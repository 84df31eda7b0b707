using Portal.Core.Authorization;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.Authorization;

/// <summary>The app with one local user per built-in role, each bound on all environments.</summary>
public sealed class MatrixAppFactory : IDisposable
{
    public static readonly string[] RoleNames = [.. Roles.All.Select(r => r.Name)];

    public MatrixAppFactory()
    {
        App = new PortalAppFactory();
        for (var i = 0; i < RoleNames.Length; i++)
        {
            var user = UserFor(RoleNames[i]);
            App.Settings[$"SignIn:Local:Accounts:{10 + i}:UserName"] = user;
            App.Settings[$"SignIn:Local:Accounts:{10 + i}:DisplayName"] = $"Matrix {RoleNames[i]}";
            App.Settings[$"SignIn:Local:Accounts:{10 + i}:Password"] = SignedInClient.DemoPassword;
            App.Settings[$"Seed:RoleBindings:{20 + i}:SubjectKind"] = "User";
            App.Settings[$"Seed:RoleBindings:{20 + i}:Subject"] = user;
            App.Settings[$"Seed:RoleBindings:{20 + i}:Role"] = RoleNames[i];
            App.Settings[$"Seed:RoleBindings:{20 + i}:Scope"] = "all";
        }
    }

    public PortalAppFactory App { get; }

    public static string UserFor(string role) => $"m-{role.ToLowerInvariant()}";

    public void Dispose() => App.Dispose();
}
