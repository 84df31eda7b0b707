using Portal.Core.Environments;

namespace Portal.Core.Tests.Environments;

public class EnvironmentPolicyOptionsValidatorTests
{
    private static readonly EnvironmentPolicyOptionsValidator Validator = new();

    [Fact]
    public void Validate_Defaults_Succeed() =>
        Validator.Validate(null, new EnvironmentPolicyOptions()).Succeeded.ShouldBeTrue();

    [Fact]
    public void Validate_ProtectedTierWithATimeToLive_FailsNamingTheKey()
    {
        var options = new EnvironmentPolicyOptions();
        options.Tiers["prod"].MaxTtlHours = 24;

        var result = Validator.Validate(null, options);

        result.Failed.ShouldBeTrue();
        result.FailureMessage.ShouldContain("Environments:Tiers:prod:MaxTtlHours");
        result.FailureMessage.ShouldContain("cannot expire");
    }

    public static TheoryData<string, string> BadQuantities() => new()
    {
        { "Quota:Cpu", "four" },
        { "Quota:Memory", "0" },
        { "Quota:MaxCpu", "" },
        { "Quota:MaxMemory", "-1Gi" },
        { "Containers:CpuRequest", "100 m" },
        { "Containers:MemoryRequest", "lots" },
        { "Containers:CpuLimit", "0m" },
        { "Containers:MemoryLimit", "512MB" },
        { "Containers:MaxCpu", "x" },
        { "Containers:MaxMemory", "-8Gi" },
    };

    [Theory]
    [MemberData(nameof(BadQuantities))]
    public void Validate_NotAPositiveQuantity_FailureNamesTheKey(string field, string value)
    {
        var options = new EnvironmentPolicyOptions();
        var tier = options.Tiers["staging"];
        _ = field switch
        {
            "Quota:Cpu" => tier.Quota.Cpu = value,
            "Quota:Memory" => tier.Quota.Memory = value,
            "Quota:MaxCpu" => tier.Quota.MaxCpu = value,
            "Quota:MaxMemory" => tier.Quota.MaxMemory = value,
            "Containers:CpuRequest" => tier.Containers.CpuRequest = value,
            "Containers:MemoryRequest" => tier.Containers.MemoryRequest = value,
            "Containers:CpuLimit" => tier.Containers.CpuLimit = value,
            "Containers:MemoryLimit" => tier.Containers.MemoryLimit = value,
            "Containers:MaxCpu" => tier.Containers.MaxCpu = value,
            _ => tier.Containers.MaxMemory = value,
        };

        var result = Validator.Validate(null, options);

        result.Failed.ShouldBeTrue();
        result.Failures.ShouldHaveSingleItem().ShouldStartWith($"Environments:Tiers:staging:{field}: '{value}' is not a positive Kubernetes quantity");
    }

    [Theory]
    [InlineData(0, 500)]
    [InlineData(501, 500)]
    [InlineData(40, 30)]
    public void Validate_DefaultPodsOutsideOneToMax_FailureNamesTheKey(int pods, int maxPods)
    {
        var options = new EnvironmentPolicyOptions();
        options.Tiers["dev"].Quota.Pods = pods;
        options.Tiers["dev"].Quota.MaxPods = maxPods;

        var result = Validator.Validate(null, options);

        result.Failures.ShouldNotBeNull().ShouldHaveSingleItem().ShouldBe($"Environments:Tiers:dev:Quota:Pods: must be between 1 and Quota:MaxPods ({maxPods}).");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Validate_ApprovalExpiryBelowOneHour_FailureNamesTheKey(int hours)
    {
        var result = Validator.Validate(null, new EnvironmentPolicyOptions { ApprovalExpiryHours = hours });

        result.Failures.ShouldNotBeNull().ShouldHaveSingleItem().ShouldBe($"Environments:ApprovalExpiryHours: must be at least 1 (got {hours}).");
    }

    [Fact]
    public void Validate_SeveralProblems_AllReported()
    {
        var options = new EnvironmentPolicyOptions { ApprovalExpiryHours = 0 };
        options.Tiers["prod"].Quota.Cpu = "many";
        options.Tiers["dev"].Containers.MaxMemory = "huge";

        Validator.Validate(null, options).Failures.ShouldNotBeNull().Count().ShouldBe(3);
    }
}
