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

    [Fact]
    public void ExtendedExpiry_BeyondMaximumAllowed_GoesPastTheTierMaximumUpToAYear()
    {
        var env = EnvironmentValidator.Create(Good, Policy, "ann", Now);

        EnvironmentValidator.ExtendedExpiry(env, 1000, Policy, Now, beyondMaximum: true).ShouldBe(Now.AddHours(1000));
        EnvironmentValidator.ExtendedExpiry(env, EnvironmentValidator.AbsoluteMaxTtlHours, Policy, Now, beyondMaximum: true)
            .ShouldBe(Now.AddHours(8760));
        Should.Throw<ValidationFailedException>(() => EnvironmentValidator.ExtendedExpiry(env, 8761, Policy, Now, beyondMaximum: true))
            .Errors.ToDictionary()["hours"].ShouldHaveSingleItem().ShouldBe("must be between 1 and 8760 for a dev environment (got 8761)");
    }

    [Fact]
    public void ExtendedExpiry_PastTierMaximumWithoutBeyond_SaysTheTierMaximum() =>
        Should.Throw<ValidationFailedException>(() => EnvironmentValidator.ExtendedExpiry(EnvironmentValidator.Create(Good, Policy, "ann", Now), 1000, Policy, Now))
            .Errors.ToDictionary()["hours"].ShouldHaveSingleItem().ShouldBe("must be between 1 and 336 for a dev environment (got 1000)");

    [Theory]
    [InlineData(EnvironmentStatus.DestroyRequested)]
    [InlineData(EnvironmentStatus.Destroying)]
    [InlineData(EnvironmentStatus.Destroyed)]
    [InlineData(EnvironmentStatus.Rejected)]
    public void ExtendedExpiry_EnvironmentOnItsWayOut_RefusedEvenBeyondMaximum(EnvironmentStatus status)
    {
        var env = EnvironmentValidator.Create(Good, Policy, "ann", Now) with { Status = status };

        Should.Throw<ValidationFailedException>(() => EnvironmentValidator.ExtendedExpiry(env, 100, Policy, Now, beyondMaximum: true))
            .Errors.ToDictionary()["hours"].ShouldHaveSingleItem().ShouldContain("can no longer be extended");
    }

    [Fact]
    public void ExtendedExpiry_ShorterThanTheCurrentExpiry_Refused()
    {
        var env = EnvironmentValidator.Create(Good with { TimeToLiveHours = 100 }, Policy, "ann", Now);

        Should.Throw<ValidationFailedException>(() => EnvironmentValidator.ExtendedExpiry(env, 50, Policy, Now, beyondMaximum: true))
            .Errors.ToDictionary()["hours"].ShouldHaveSingleItem().ShouldContain("extending never shortens");
    }

    [Fact]
    public void Create_NoQuota_TakesTheTierDefaults() =>
        EnvironmentValidator.Create(Good, Policy, "ann", Now).Quota.ShouldBe(new EnvironmentQuota("4", "8Gi", 30));

    [Fact]
    public void Create_PartOfAQuota_RestFromTheTierDefaultsAndTrimmed() =>
        EnvironmentValidator.Create(Good with { Quota = new QuotaRequest { Cpu = " 500m " } }, Policy, "ann", Now).Quota
            .ShouldBe(new EnvironmentQuota("500m", "8Gi", 30));

    [Theory]
    [InlineData("quota.cpu", "lots")]
    [InlineData("quota.cpu", "0")]
    [InlineData("quota.cpu", "-1")]
    [InlineData("quota.memory", "8 gigs")]
    [InlineData("quota.memory", "0Gi")]
    [InlineData("quota.pods", "0")]
    [InlineData("quota.pods", "-3")]
    public void Create_InvalidQuota_NamesTheField(string field, string value)
    {
        var quota = field switch
        {
            "quota.cpu" => new QuotaRequest { Cpu = value },
            "quota.memory" => new QuotaRequest { Memory = value },
            _ => new QuotaRequest { Pods = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) },
        };

        var errors = Should.Throw<ValidationFailedException>(() => EnvironmentValidator.Create(Good with { Quota = quota }, Policy, "ann", Now)).Errors.ToDictionary();

        errors.Keys.ShouldBe([field]);
    }

    [Fact]
    public void Create_QuotaAboveTheTierCeiling_RefusedForEachPart()
    {
        var request = Good with { Quota = new QuotaRequest { Cpu = "65", Memory = "257Gi", Pods = 501 } };

        var errors = Should.Throw<ValidationFailedException>(() => EnvironmentValidator.Create(request, Policy, "ann", Now)).Errors.ToDictionary();

        errors.Keys.Order().ShouldBe(["quota.cpu", "quota.memory", "quota.pods"]);
        errors["quota.cpu"].ShouldHaveSingleItem().ShouldBe("65 is above this tier's ceiling of 64");
        errors["quota.memory"].ShouldHaveSingleItem().ShouldBe("257Gi is above this tier's ceiling of 256Gi");
        errors["quota.pods"].ShouldHaveSingleItem().ShouldBe("must be between 1 and 500 (got 501)");
    }

    [Fact]
    public void Create_QuotaAtTheTierCeiling_Accepted() =>
        EnvironmentValidator.Create(Good with { Quota = new QuotaRequest { Cpu = "64000m", Memory = "256Gi", Pods = 500 } }, Policy, "ann", Now).Quota
            .ShouldBe(new EnvironmentQuota("64000m", "256Gi", 500));

    [Fact]
    public void Create_TierWithItsOwnCeiling_UsesThatTiersCeiling()
    {
        var policy = new EnvironmentPolicyOptions();
        policy.Tiers["dev"].Quota.MaxCpu = "8";

        Should.Throw<ValidationFailedException>(() => EnvironmentValidator.Create(Good with { Quota = new QuotaRequest { Cpu = "9" } }, policy, "ann", Now))
            .Errors.ToDictionary()["quota.cpu"].ShouldHaveSingleItem().ShouldBe("9 is above this tier's ceiling of 8");
        EnvironmentValidator.Create(Good with { Tier = "test", Quota = new QuotaRequest { Cpu = "9" } }, policy, "ann", Now).Quota.Cpu.ShouldBe("9");
    }

    [Theory]
    [InlineData("quota.cpu", "already requests (1500m)")]
    [InlineData("quota.memory", "already requests (3Gi)")]
    [InlineData("quota.pods", "below the 12 pods already running")]
    public void Update_QuotaBelowWhatIsInUse_NamesTheFieldAndTheUsage(string field, string says)
    {
        var env = EnvironmentValidator.Create(Good, Policy, "ann", Now) with { Status = EnvironmentStatus.Ready };
        var usage = new ResourceUsage(CpuMillis: 1500, MemoryBytes: 3L << 30, Pods: 12);
        var quota = field switch
        {
            "quota.cpu" => new QuotaRequest { Cpu = "1" },
            "quota.memory" => new QuotaRequest { Memory = "2Gi" },
            _ => new QuotaRequest { Pods = 10 },
        };

        var errors = Should.Throw<ValidationFailedException>(() => EnvironmentValidator.Update(env, new UpdateEnvironmentRequest { Quota = quota }, Policy, usage))
            .Errors.ToDictionary();

        errors.Keys.ShouldBe([field]);
        errors[field].ShouldHaveSingleItem().ShouldContain(says);
    }

    [Fact]
    public void Update_QuotaAtWhatIsInUse_AcceptedAndOtherPartsKept()
    {
        var env = EnvironmentValidator.Create(Good, Policy, "ann", Now) with { Status = EnvironmentStatus.Ready };
        var usage = new ResourceUsage(CpuMillis: 1500, MemoryBytes: 3L << 30, Pods: 12);

        var changed = EnvironmentValidator.Update(env, new UpdateEnvironmentRequest { Quota = new QuotaRequest { Cpu = "1500m", Pods = 12 } }, Policy, usage);

        changed.Quota.ShouldBe(new EnvironmentQuota("1500m", "8Gi", 12));
        changed.Version.ShouldBe(env.Version + 1);
    }

    [Fact]
    public void Update_NoQuotaInTheRequest_QuotaNotCheckedAgainstUsage()
    {
        // Usage above the quota (pods from before the quota existed) must not block an edit of the team alone.
        var env = EnvironmentValidator.Create(Good, Policy, "ann", Now) with { Quota = new EnvironmentQuota("1", "1Gi", 1) };

        EnvironmentValidator.Update(env, new UpdateEnvironmentRequest { OwningTeam = "checkout" }, Policy, new ResourceUsage(5000, 8L << 30, 40))
            .Quota.ShouldBe(env.Quota);
    }
}
