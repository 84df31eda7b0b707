using Portal.Logs.Embedded;

namespace Portal.Logs.Tests.Embedded;

public sealed class LogTokensTests
{
    [Theory]
    [InlineData("Error", "error")]
    [InlineData("a_b", "a_5fb")]
    [InlineData("/api/pay", "_2fapi_2fpay")]
    [InlineData("é", "_c3_a9")]
    [InlineData("kubernetes.pod_name", "kubernetes_2epod_5fname")]
    public void Encode_Text_IsLowercaseAsciiWithHexEscapes(string text, string expected) => LogTokens.Encode(text).ShouldBe(expected);

    [Fact]
    public void Encode_PrefixOfText_IsPrefixOfEncodingAndNamesCannotBleedIntoValues()
    {
        LogTokens.Encode("/api/payments").ShouldStartWith(LogTokens.Encode("/api/pay"));
        LogTokens.Encode("x_y_z").ShouldNotContain("__");
        // "a" = "b_c" and "a__b" = "c" must not be the same token, nor either a prefix of the other's field.
        LogTokens.KeywordExact("a", "b_c").ShouldNotBe(LogTokens.KeywordExact("a__b", "c"));
        LogTokens.KeywordExact("ab", "x").ShouldNotStartWith(LogTokens.KeywordPrefix("a", "b"));
    }

    [Fact]
    public void Keywords_Value_HaveOneTokenPerCutUpToItsLengthAndPrefixesFindThem()
    {
        LogTokens.Keywords("p", "/api/x").ShouldBe(["k1p___2fapi_2fx__"]);
        var tokens = LogTokens.Keywords("p", "/api/payments/7130/capture").ToList();
        tokens.ShouldBe(["k1p___2fapi_2fpay", "k2p___2fapi_2fpayments_2f71", "k3p___2fapi_2fpayments_2f7130_2fcapture__"]);
        // A prefix query asks in the smallest cut that holds the prefix; the exact token is the complete one.
        tokens.ShouldContain(t => t.StartsWith(LogTokens.KeywordPrefix("p", "/api/pay"), StringComparison.Ordinal));
        tokens.ShouldContain(t => t.StartsWith(LogTokens.KeywordPrefix("p", "/api/payments/71"), StringComparison.Ordinal));
        tokens.ShouldNotContain(t => t.StartsWith(LogTokens.KeywordPrefix("p", "/api/orders"), StringComparison.Ordinal));
        tokens.ShouldContain(LogTokens.KeywordExact("p", "/api/payments/7130/capture"));
        tokens.ShouldNotContain(LogTokens.KeywordExact("p", "/api/payments/7130"));
        LogTokens.Keywords("p", new string('a', 300)).Count().ShouldBe(4);
    }

    [Fact]
    public void Words_Text_AreLowercaseRunsOfLettersAndDigitsInOrder()
    {
        LogTokens.Words("GET /api/Orders/42 -> 500 (ünï)").ShouldBe(["get", "api", "orders", "42", "500", "ünï"]);
        LogTokens.IsOneWord("pay").ShouldBeTrue();
        LogTokens.IsOneWord("pay-ment").ShouldBeFalse();
    }

    [Fact]
    public void Sortable_Numbers_KeepTheirOrder()
    {
        var numbers = new[] { double.MinValue, -1e9, -2.5, -1, -0.0, 0, 1e-300, 0.5, 1, 90, 500, 1e18, double.MaxValue };
        var keys = numbers.Select(LogTokens.Sortable).ToList();
        keys.ShouldBe([.. keys.Order()]);
        LogTokens.Sortable(-0.0).ShouldBe(LogTokens.Sortable(0.0));
        keys.Distinct().Count().ShouldBe(numbers.Length - 1);
    }

    [Fact]
    public void Cover_AnyRange_IsCoveredExactlyByItsBlocks()
    {
        var random = new Random(7);
        var ranges = new List<(ulong, ulong)> { (0, ulong.MaxValue), (5, 5), (0, 0), (ulong.MaxValue, ulong.MaxValue), (0x10, 0x2f), (1, ulong.MaxValue - 1) };
        for (var i = 0; i < 300; i++)
        {
            var a = (ulong)random.NextInt64() << random.Next(0, 2);
            var b = a + (ulong)random.NextInt64(0, 1L << random.Next(1, 62));
            ranges.Add(b < a ? (b, a) : (a, b));
        }

        foreach (var (low, high) in ranges)
        {
            var blocks = LogTokens.Cover(low, high);
            var next = low;
            foreach (var (digits, isPrefix) in blocks)
            {
                isPrefix.ShouldBe(digits.Length < 16);
                var start = ulong.Parse(digits.PadRight(16, '0'), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
                var end = ulong.Parse(digits.PadRight(16, 'f'), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
                start.ShouldBe(next, $"blocks of [{low:x}, {high:x}] are contiguous");
                next = end + 1;
            }

            (next - 1).ShouldBe(high, $"the blocks of [{low:x}, {high:x}] end at its end");
            blocks.Count.ShouldBeLessThanOrEqualTo(2 * 15 * 16);
        }
    }
}
