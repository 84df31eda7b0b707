using Portal.Core.Audit;

namespace Portal.Core.Tests.Audit;

public class AuditParametersTests
{
    [Fact]
    public void Serialize_SecretLookingKeys_AreMasked()
    {
        var json = AuditParameters.Serialize(new Dictionary<string, object?>
        {
            ["name"] = "pr-1", ["password"] = "hunter2", ["clientSecret"] = "s3", ["api-key"] = "k", ["connectionString"] = "Host=x;Password=y",
        });

        json.ShouldContain("\"name\":\"pr-1\"");
        json.ShouldNotContain("hunter2");
        json.ShouldNotContain("s3\"");
        json.ShouldNotContain("Password=y");
        json.ShouldContain("\"password\":\"***\"");
    }

    [Fact]
    public void Serialize_Nothing_IsEmptyObject() => AuditParameters.Serialize(null).ShouldBe("{}");
}
