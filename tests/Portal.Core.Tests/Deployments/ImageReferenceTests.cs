using Portal.Core.Deployments;

namespace Portal.Core.Tests.Deployments;

public class ImageReferenceTests
{
    [Theory]
    [InlineData("nginx", "nginx", null, null)]
    [InlineData("registry.example.com:5000/shop/orders:1.4.2", "registry.example.com:5000/shop/orders", "1.4.2", null)]
    [InlineData("localhost/app:v1_rc.2-x", "localhost/app", "v1_rc.2-x", null)]
    [InlineData("ghcr.io/org/a__b/c-d:latest", "ghcr.io/org/a__b/c-d", "latest", null)]
    [InlineData("shop/orders@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "shop/orders", null, "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void Parse_ValidReferences(string text, string repository, string? tag, string? digest)
    {
        ImageReference.Parse(text, out var reference).ShouldBeNull();
        reference.ShouldBe(new ImageReference(repository, tag, digest));
        reference.ToString().ShouldBe(text);
    }

    [Theory]
    [InlineData("", "is required")]
    [InlineData("Shop/orders:1", "invalid path component 'Shop'")]
    [InlineData("shop/orders:-1", "invalid tag '-1'")]
    [InlineData("shop/orders:1 2", "invalid tag '1 2'")]
    [InlineData("shop//orders", "invalid path component ''")]
    [InlineData("shop/orders@sha256:xyz", "malformed digest")]
    [InlineData("bad_registry.com/x:1", "invalid registry 'bad_registry.com'")]
    public void Parse_InvalidReferences_SayWhatIsWrong(string text, string problem) =>
        ImageReference.Parse(text, out _).ShouldNotBeNull().ShouldContain(problem);

    [Fact]
    public void Parse_TagOfMoreThan128Characters_Refused() =>
        ImageReference.Parse("shop/orders:" + new string('a', 129), out _).ShouldNotBeNull().ShouldContain("invalid tag");
}
