using Microsoft.Extensions.Options;

namespace Portal.Web.Hosting;

public sealed class SecurityOptionsValidator : IValidateOptions<SecurityOptions>
{
    public ValidateOptionsResult Validate(string? name, SecurityOptions options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.TrustedProxies.Count; i++)
        {
            if (!TryParseNetwork(options.TrustedProxies[i], out _))
            {
                failures.Add($"{SecurityOptions.SectionName}:TrustedProxies:{i}: '{options.TrustedProxies[i]}' is neither an IP address nor a network like 10.0.0.0/8.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>An address is a network of one.</summary>
    internal static bool TryParseNetwork(string? value, out System.Net.IPNetwork network)
    {
        network = default;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var text = value.Trim();
        if (System.Net.IPAddress.TryParse(text, out var address) && !text.Contains('/', StringComparison.Ordinal))
        {
            network = new System.Net.IPNetwork(address, address.GetAddressBytes().Length * 8);
            return true;
        }

        return System.Net.IPNetwork.TryParse(text, out network);
    }
}
