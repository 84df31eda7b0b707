using Portal.Core.Authorization;
using Portal.Core.Validation;

namespace Portal.Core.Tests.Authorization;

public class GrantValidatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Validate_TimeBoxedEnvironmentGrant_ExpiresWhenAsked()
    {
        var binding = GrantValidator.Validate(new GrantRequest { SubjectKind = "user", Subject = "ann", Role = "Operator", ExpiresInHours = 4 },
            BindingScope.ForEnvironment("prod"), "bob", Now);

        binding.ExpiresAt.ShouldBe(Now.AddHours(4));
        binding.Scope.ShouldBe(BindingScope.ForEnvironment("prod"));
        binding.SubjectKind.ShouldBe(SubjectKind.User);
    }

    [Fact]
    public void Validate_OrganisationRoleOnOneEnvironment_Refused() =>
        Should.Throw<ValidationFailedException>(() => GrantValidator.Validate(
                new GrantRequest { SubjectKind = "user", Subject = "ann", Role = "PortalAdmin" }, BindingScope.ForEnvironment("dev"), "bob", Now))
            .Errors.ToDictionary().Keys.ShouldBe(["role"]);

    [Fact]
    public void Validate_EverythingWrong_NamesEachField()
    {
        var errors = Should.Throw<ValidationFailedException>(() => GrantValidator.Validate(
            new GrantRequest { SubjectKind = "robot", Subject = "", Role = "God", ExpiresInHours = 0, Scope = "galaxy" }, null, "bob", Now)).Errors.ToDictionary();

        errors.Keys.ShouldBe(["subjectKind", "subject", "scope", "role", "expiresInHours"], ignoreOrder: true);
    }

    [Fact]
    public void Validate_TierScope_Parsed() =>
        GrantValidator.Validate(new GrantRequest { SubjectKind = "group", Subject = "sre", Role = "Operator", Scope = "tier:prod" }, null, "bob", Now)
            .Scope.ShouldBe(new BindingScope(BindingScopeKind.Tier, "prod"));
}
