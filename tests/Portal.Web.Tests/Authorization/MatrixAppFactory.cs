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
        AddRoleUsers(App);
    }

    public PortalAppFactory App { get; }

    public static string UserFor(string role) => $"m-{role.ToLowerInvariant()}";

    /// <summary>One local user per built-in role (<see cref="UserFor"/>), each bound on all environments.</summary>
    public static void AddRoleUsers(PortalAppFactory app)
    {
        for (var i = 0; i < RoleNames.Length; i++)
        {
            var user = UserFor(RoleNames[i]);
            app.Settings[$"SignIn:Local:Accounts:{10 + i}:UserName"] = user;
            app.Settings[$"SignIn:Local:Accounts:{10 + i}:DisplayName"] = $"Matrix {RoleNames[i]}";
            app.Settings[$"SignIn:Local:Accounts:{10 + i}:Password"] = SignedInClient.DemoPassword;
            app.Settings[$"Seed:RoleBindings:{20 + i}:SubjectKind"] = "User";
            app.Settings[$"Seed:RoleBindings:{20 + i}:Subject"] = user;
            app.Settings[$"Seed:RoleBindings:{20 + i}:Role"] = RoleNames[i];
            app.Settings[$"Seed:RoleBindings:{20 + i}:Scope"] = "all";
        }
    }

    public void Dispose() => App.Dispose();
}
