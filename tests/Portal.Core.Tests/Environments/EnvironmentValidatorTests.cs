using Portal.Core.Environments;
using Portal.Core.Validation;

namespace Portal.Core.Tests.Environments;

public class EnvironmentValidatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
    private static readonly EnvironmentPolicyOptions Policy = new();

    private static CreateEnvironmentRequest Good => new()
    {
        Name = "pr-42", DisplayName = "PR 42", Tier = "dev", OwningTeam = "payments", CostCentre = "cc-1001", MonthlyBudget = 200,
        Labels = new() { ["app"] = "checkout" },
    };

    [Fact]
    public void Create_GoodRequest_FillsDefaults()
    {
        var env = EnvironmentValidator.Create(Good, Policy, "ann", Now);

        env.Namespace.ShouldBe("pr-42");
        env.Cluster.ShouldBe("sandbox");
        env.ExpiresAt.ShouldBe(Now.AddHours(72), "dev's default TTL");
        env.Status.ShouldBe(EnvironmentStatus.Requested);
        env.CreatedBy.ShouldBe("ann");
        env.Version.ShouldBe(1);
    }

    [Fact]
    public void Create_Prod_IsLongLived() =>
        EnvironmentValidator.Create(Good with { Tier = "prod" }, Policy, "ann", Now).ExpiresAt.ShouldBeNull();

    [Theory]
    [InlineData("name", "Bad_Name")]
    [InlineData("name", "")]
    [InlineData("tier", "qa")]
    [InlineData("displayName", "")]
    [InlineData("owningTeam", "   ")]
    [InlineData("costCentre", "cc 1001")]
    public void Create_BadField_NamesTheField(string field, string value)
    {
        var request = field switch
        {
            "name" => Good with { Name = value },
            "tier" => Good with { Tier = value },
            "displayName" => Good with { DisplayName = value },
            "owningTeam" => Good with { OwningTeam = value },
            _ => Good with { CostCentre = value },
        };

        var errors = Should.Throw<ValidationFailedException>(() => EnvironmentValidator.Create(request, Policy, "ann", Now)).Errors.ToDictionary();

        errors.Keys.ShouldBe([field]);
    }

    [Fact]
    public void Create_OversizedFields_SayTheLimit()
    {
        var request = Good with { DisplayName = new string('x', 201), OwningTeam = new string('t', 101), Name = new string('a', 64) };

        var errors = Should.Throw<ValidationFailedException>(() => EnvironmentValidator.Create(request, Policy, "ann", Now)).Errors.ToDictionary();

        errors["displayName"].ShouldHaveSingleItem().ShouldContain("at most 200");
        errors["owningTeam"].ShouldHaveSingleItem().ShouldContain("at most 100");
        errors["name"].ShouldHaveSingleItem().ShouldContain("at most 63");
    }

    [Fact]
    public void Create_TtlAboveTierMaximum_Refused() =>
        Should.Throw<ValidationFailedException>(() => EnvironmentValidator.Create(Good with { TimeToLiveHours = 337 }, Policy, "ann", Now))
            .Errors.ToDictionary()["timeToLiveHours"].ShouldHaveSingleItem().ShouldBe("must be between 1 and 336 hours for dev (got 337)");

    [Fact]
    public void Create_TtlOnProd_Refused() =>
        Should.Throw<ValidationFailedException>(() => EnvironmentValidator.Create(Good with { Tier = "prod", TimeToLiveHours = 5 }, Policy, "ann", Now))
            .Errors.ToDictionary()["timeToLiveHours"].ShouldHaveSingleItem().ShouldContain("long-lived");

    [Theory]
    [InlineData("-bad", "x")]
    [InlineData("ok", "has space")]
    [InlineData("way-too-long-key-way-too-long-key-way-too-long-key-way-too-long-key", "x")]
    public void Create_BadLabel_NamesTheLabel(string key, string value)
    {
        var errors = Should.Throw<ValidationFailedException>(() =>
            EnvironmentValidator.Create(Good with { Labels = new() { [key] = value } }, Policy, "ann", Now)).Errors.ToDictionary();

        errors.Keys.ShouldBe([$"labels.{key}"]);
    }

    [Fact]
    public void Create_NegativeBudget_Refused() =>
        Should.Throw<ValidationFailedException>(() => EnvironmentValidator.Create(Good with { MonthlyBudget = -1 }, Policy, "ann", Now))
            .Errors.ToDictionary().Keys.ShouldBe(["monthlyBudget"]);

    [Fact]
    public void Update_ChangesOnlyWhatIsGivenAndBumpsVersion()
    {
        var env = EnvironmentValidator.Create(Good, Policy, "ann", Now);

        var changed = EnvironmentValidator.Update(env, new UpdateEnvironmentRequest { OwningTeam = "checkout" });

        changed.OwningTeam.ShouldBe("checkout");
        changed.DisplayName.ShouldBe(env.DisplayName);
        changed.Version.ShouldBe(2);
    }

    [Fact]
    public void ExtendedExpiry_BeyondMaximum_Refused()
    {
        var env = EnvironmentValidator.Create(Good, Policy, "ann", Now);

        EnvironmentValidator.ExtendedExpiry(env, 336, Policy, Now).ShouldBe(Now.AddHours(336));
        Should.Throw<ValidationFailedException>(() => EnvironmentValidator.ExtendedExpiry(env, 337, Policy, Now));
    }
}
