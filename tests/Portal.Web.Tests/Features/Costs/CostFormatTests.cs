using Portal.Web.Features.Costs;

namespace Portal.Web.Tests.Features.Costs;

/// <summary>Amounts read as a manager expects: whole units when large, cents, and never "0" for something that cost a little.</summary>
public sealed class CostFormatTests
{
    [Theory]
    [InlineData("12345.678", "12,346")]
    [InlineData("20.144", "20.14")]
    [InlineData("0", "0.00")]
    [InlineData("0.0017", "0.0017")]
    [InlineData("0.00003", "< 0.0001")]
    [InlineData("-0.00003", "> -0.0001")]
    public void Amount_PicksItsPrecisionByMagnitude(string value, string expected) =>
        CostFormat.Amount(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture)).ShouldBe(expected);
}
