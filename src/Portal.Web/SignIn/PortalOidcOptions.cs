using Microsoft.AspNetCore.Authentication.OAuth;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Portal.Web.SignIn;

/// <summary>The shared framework's OAuth options, plus the issuer's metadata (read and refreshed by Microsoft.IdentityModel).</summary>
public sealed class PortalOidcOptions : OAuthOptions
{
    public ConfigurationManager<OpenIdConnectConfiguration>? Metadata { get; set; }

    public OidcSignInOptions Settings { get; set; } = new();

    public override void Validate()
    {
        // The endpoints come from the issuer's metadata at request time; the base class wants them set, so the
        // placeholders (the authority) satisfy it and are replaced before any request leaves.
        if (Metadata is null)
        {
            throw new InvalidOperationException("SignIn:Oidc: the issuer metadata manager is not configured.");
        }

        base.Validate();
    }
}
