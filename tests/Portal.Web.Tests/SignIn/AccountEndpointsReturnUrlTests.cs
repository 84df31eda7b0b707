using Portal.Web.SignIn;

namespace Portal.Web.Tests.SignIn;

/// <summary>
/// Where sign-in sends a person back to (<c>returnUrl</c>) against every short string over the characters that make a
/// browser leave the site: whatever <see cref="AccountEndpoints.LocalOrHome"/> lets through, a browser resolving it
/// against the portal's address stays on the portal.
/// </summary>
public class AccountEndpointsReturnUrlTests
{
    private const string Alphabet = "/\\:\t\n a.%@\u3000\0";

    [Theory]
    [InlineData("//evil.example")]
    [InlineData("https://evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("\\\\evil.example")]
    [InlineData("javascript:alert(1)")]
    [InlineData("JaVaScRiPt:alert(1)")]
    [InlineData("/\t/evil.example")]
    [InlineData("/\r\n/evil.example")]
    [InlineData(" //evil.example")]
    [InlineData("\u0000//evil.example")]
    [InlineData("/\u3000/evil.example")]
    [InlineData("evil.example")]
    [InlineData("")]
    [InlineData(null)]
    public void LocalOrHome_OffSiteOrNotAPath_Home(string? returnUrl) =>
        AccountEndpoints.LocalOrHome(returnUrl).ShouldBe("/");

    [Theory]
    [InlineData("/")]
    [InlineData("/environments/dev?tab=logs#top")]
    [InlineData("/logs?q=level%3Aerror")]
    [InlineData("/a/..//b")]
    public void LocalOrHome_PathOnTheSite_Kept(string returnUrl) =>
        AccountEndpoints.LocalOrHome(returnUrl).ShouldBe(returnUrl);

    [Fact]
    public void LocalOrHome_EveryShortString_HomeOrAPathABrowserKeepsOnTheSite()
    {
        var checkedCount = 0;
        foreach (var text in Strings(4))
        {
            var result = AccountEndpoints.LocalOrHome(text);
            if (result != "/")
            {
                result.ShouldBe(text);
                StaysOnSite(text).ShouldBeTrue($"'{Show(text)}' is let through but a browser leaves the site");
            }

            checkedCount++;
        }

        checkedCount.ShouldBeGreaterThan(10_000);
    }

    /// <summary>
    /// A browser's reading of a relative reference (the WHATWG URL parser, for an https base): tabs and line breaks are
    /// removed, leading and trailing controls and spaces trimmed, a scheme makes it absolute, backslashes are slashes,
    /// and two slashes at the start begin another host.
    /// </summary>
    private static bool StaysOnSite(string reference)
    {
        var url = new string([.. reference.Where(c => c is not ('\t' or '\n' or '\r'))]).Trim(Enumerable.Range(0, 0x21).Select(c => (char)c).ToArray());
        var colon = url.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && char.IsAsciiLetter(url[0]) && url[..colon].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.'))
        {
            return false;
        }

        url = url.Replace('\\', '/');
        return !url.StartsWith("//", StringComparison.Ordinal);
    }

    private static IEnumerable<string> Strings(int maxLength)
    {
        IEnumerable<string> level = [""];
        for (var length = 1; length <= maxLength; length++)
        {
            level = level.SelectMany(prefix => Alphabet.Select(c => prefix + c)).ToList();
            foreach (var text in level)
            {
                yield return text;
            }
        }
    }

    private static string Show(string text) => string.Concat(text.Select(c => c < ' ' || c > '~' ? $"\\u{(int)c:X4}" : c.ToString()));
}
