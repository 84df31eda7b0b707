using Portal.Kubernetes.Provisioning;

namespace Portal.Kubernetes.Tests.Provisioning;

public class LabelValueTests
{
    [Theory]
    [InlineData("payments", "payments")]
    [InlineData("Payments Team", "payments-team")]
    [InlineData("  CC_9  ", "cc_9")]
    [InlineData("team.a-b_c", "team.a-b_c")]
    [InlineData("R&D / Platform", "r-d---platform")]
    [InlineData("Zürich Ops", "z-rich-ops")]
    [InlineData("--edge--", "edge")]
    [InlineData("(parens)", "parens")]
    [InlineData("!!!", "")]
    [InlineData("", "")]
    public void From_FreeText_BecomesAValidLabelValue(string text, string expected) =>
        LabelValue.From(text).ShouldBe(expected);

    [Fact]
    public void From_LongerThan63_CutAt63()
    {
        var value = LabelValue.From(new string('a', 70));

        value.ShouldBe(new string('a', 63));
    }

    [Fact]
    public void From_CutEndingInASeparator_SeparatorDropped()
    {
        // The 63rd character would be '-': a label value must end with a letter or digit.
        var value = LabelValue.From(new string('a', 62) + " team");

        value.ShouldBe(new string('a', 62));
    }

    [Theory]
    [InlineData("Payments Team")]
    [InlineData("  ~Ünïcødé~ team of the year 2026, platform & payments, EMEA / APAC region  ")]
    [InlineData("x")]
    [InlineData("...")]
    public void From_AnyText_MatchesTheKubernetesLabelValueSyntax(string text) =>
        LabelValue.From(text).ShouldMatch("^(([a-z0-9][-a-z0-9_.]{0,61})?[a-z0-9])?$");
}
