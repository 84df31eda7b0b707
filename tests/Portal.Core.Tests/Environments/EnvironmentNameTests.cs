using Portal.Core.Environments;

namespace Portal.Core.Tests.Environments;

public class EnvironmentNameTests
{
    [Theory]
    [InlineData("dev")]
    [InlineData("pr-1234")]
    [InlineData("a")]
    [InlineData("0abc9")]
    public void Validate_Dns1123Label_ReturnsNull(string name) => EnvironmentName.Validate(name).ShouldBeNull();

    [Theory]
    [InlineData("", "must not be empty")]
    [InlineData(null, "must not be empty")]
    [InlineData("Dev", "lower-case")]
    [InlineData("dev_1", "lower-case")]
    [InlineData("dev.1", "lower-case")]
    [InlineData("-dev", "start and end")]
    [InlineData("dev-", "start and end")]
    public void Validate_InvalidName_SaysWhy(string? name, string expected) =>
        EnvironmentName.Validate(name).ShouldNotBeNull().ShouldContain(expected);

    [Fact]
    public void Validate_64Characters_IsTooLong()
    {
        EnvironmentName.IsValid(new string('a', 63)).ShouldBeTrue();
        EnvironmentName.Validate(new string('a', 64)).ShouldNotBeNull().ShouldContain("at most 63");
    }
}
