using Microsoft.EntityFrameworkCore;
using Portal.Core.Environments;
using Portal.Infrastructure.Identity;
using Portal.Infrastructure.Persistence;
using Portal.Infrastructure.Seeding;
using Portal.Infrastructure.Tests.Persistence;
using Portal.Testing;

namespace Portal.Infrastructure.Tests.Seeding;

public sealed class DemoDataSeederTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task SeedAsync_Twice_InsertsOnceAndKeepsEdits()
    {
        var db = new TestDatabase(DatabaseProvider.Sqlite, $"Data Source={_directory.File("portal.db")};Pooling=False");
        await db.Migrator().MigrateAsync(CancellationToken.None);
        var options = SeedOptionsValidatorTests.Options(("dev", "Development", "dev"), ("prod", "Production", "prod"));
        options.RoleBindings.Add(new SeedRoleBinding { SubjectKind = "Group", Subject = "sre", Role = "Operator", Scope = "all" });
        var accounts = db.Accounts(new LocalAccountOptions
        {
            Accounts = [new LocalAccount { UserName = "Ada", DisplayName = "Ada", Password = "long-enough-1", Groups = ["sre"] }],
        });
        var seeder = new DemoDataSeeder(db.Contexts, Microsoft.Extensions.Options.Options.Create(options),
            Microsoft.Extensions.Options.Options.Create(new EnvironmentPolicyOptions()), accounts, TimeProvider.System);

        (await seeder.SeedAsync(CancellationToken.None)).ShouldBe(4, "two environments, one account, one binding");
        await using (var edit = db.Contexts.CreateDbContext())
        {
            (await edit.Environments.SingleAsync(e => e.Name == "dev")).DisplayName = "Renamed by a user";
            await edit.SaveChangesAsync();
        }

        (await seeder.SeedAsync(CancellationToken.None)).ShouldBe(0);

        await using var read = db.Contexts.CreateDbContext();
        (await read.Environments.CountAsync()).ShouldBe(2);
        (await read.Environments.SingleAsync(e => e.Name == "dev")).DisplayName.ShouldBe("Renamed by a user");
        (await read.RoleBindings.CountAsync()).ShouldBe(1);
        var user = await read.Users.SingleAsync();
        user.UserName.ShouldBe("ada");
        user.PasswordHash.ShouldNotBeNull().ShouldNotContain("long-enough-1");
    }

    public void Dispose() => _directory.Dispose();
}
