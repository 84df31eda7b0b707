using Microsoft.Extensions.Options;

namespace Portal.Web.SignIn;

public sealed class SignInOptionsValidator : IValidateOptions<SignInOptions>
{
    public ValidateOptionsResult Validate(string? name, SignInOptions options)
    {
        var failures = new List<string>();
        const string s = SignInOptions.SectionName;
        if (!string.Equals(options.Mode, "Local", StringComparison.OrdinalIgnoreCase) && !options.IsOidc)
        {
            failures.Add($"{s}:Mode: '{options.Mode}' is not a sign-in mode; use Local or Oidc.");
        }

        if (options.SessionHours is < 1 or > 168)
        {
            failures.Add($"{s}:SessionHours: must be between 1 and 168 (got {options.SessionHours}).");
        }

        if (options.RevalidateSeconds is < 5 or > 600)
        {
            failures.Add($"{s}:RevalidateSeconds: must be between 5 and 600 (got {options.RevalidateSeconds}).");
        }

        if (options.IsOidc)
        {
            var oidc = options.Oidc;
            if (!Uri.TryCreate(oidc.Authority, UriKind.Absolute, out var authority) || authority.Scheme is not ("https" or "http"))
            {
                failures.Add($"{s}:Oidc:Authority: must be the issuer's absolute URL.");
            }
            else if (authority.Scheme == "http" && oidc.RequireHttpsMetadata)
            {
                failures.Add($"{s}:Oidc:Authority: must use https (set {s}:Oidc:RequireHttpsMetadata=false only for a local test issuer).");
            }

            if (string.IsNullOrWhiteSpace(oidc.ClientId))
            {
                failures.Add($"{s}:Oidc:ClientId: is required when {s}:Mode is Oidc.");
            }

            if (!oidc.Scopes.Contains("openid"))
            {
                failures.Add($"{s}:Oidc:Scopes: must include openid.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
