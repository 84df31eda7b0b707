using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Portal.Web.Tests.SignIn;

/// <summary>
/// A small OpenID Connect issuer on a loopback port: discovery, JWKS, authorization code with PKCE (S256) and a
/// token endpoint that issues real RS256-signed ID tokens. <see cref="Mode"/> makes it misbehave on purpose.
/// </summary>
public sealed class TestOidcIssuer : IAsyncDisposable
{
    public const string ClientId = "portal-test";

    private readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = "issuer-key" };
    private readonly RsaSecurityKey _foreignKey = new(RSA.Create(2048)) { KeyId = "issuer-key" };
    private readonly ConcurrentDictionary<string, Grant> _codes = new();
    private WebApplication _app = default!;
    private string? _lastNonce;

    public enum Behaviour
    {
        Valid,
        WrongSignature,
        WrongAudience,
        Expired,
        ReplayedNonce,
    }

    public Behaviour Mode { get; set; } = Behaviour.Valid;

    /// <summary>The preferred_username the issuer asserts.</summary>
    public string UserName { get; set; } = "Erin@Example.com";

    public string Url { get; private set; } = "";

    /// <summary>The code_verifier values the token endpoint accepted: proof the portal did PKCE.</summary>
    public List<string> AcceptedVerifiers { get; } = [];

    public static async Task<TestOidcIssuer> StartAsync()
    {
        var issuer = new TestOidcIssuer();
        (issuer._app, issuer.Url) = await Portal.Testing.LoopbackServer.StartAsync(issuer.Map);
        return issuer;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private void Map(WebApplication app)
    {
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Url,
            ["authorization_endpoint"] = $"{Url}/authorize",
            ["token_endpoint"] = $"{Url}/token",
            ["jwks_uri"] = $"{Url}/jwks",
            ["response_types_supported"] = new[] { "code" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["code_challenge_methods_supported"] = new[] { "S256" },
        }));

        app.MapGet("/jwks", () =>
        {
            var p = _key.Rsa.ExportParameters(false);
            return Results.Json(new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = _key.KeyId, n = Base64UrlEncoder.Encode(p.Modulus), e = Base64UrlEncoder.Encode(p.Exponent) } } });
        });

        app.MapGet("/authorize", (HttpRequest request) =>
        {
            var q = request.Query;
            if (q["response_type"] != "code" || q["client_id"] != ClientId || q["code_challenge_method"] != "S256" || string.IsNullOrEmpty(q["code_challenge"]))
            {
                return Results.BadRequest("bad authorization request");
            }

            var code = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16));
            _codes[code] = new Grant(q["redirect_uri"]!, q["nonce"]!, q["code_challenge"]!);
            return Results.Redirect(QueryHelpers.AddQueryString(q["redirect_uri"]!, new Dictionary<string, string?> { ["code"] = code, ["state"] = q["state"] }));
        });

        app.MapPost("/token", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            if (form["grant_type"] != "authorization_code" || form["client_id"] != ClientId || !_codes.TryRemove(form["code"]!, out var grant)
                || form["redirect_uri"] != grant.RedirectUri)
            {
                return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
            }

            var verifier = form["code_verifier"].ToString();
            if (Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))) != grant.CodeChallenge)
            {
                return Results.Json(new { error = "invalid_grant", error_description = "PKCE" }, statusCode: 400);
            }

            AcceptedVerifiers.Add(verifier);
            return Results.Json(new { access_token = "opaque", token_type = "Bearer", expires_in = 300, id_token = IdToken(grant.Nonce) });
        });
    }

    private string IdToken(string nonce)
    {
        var now = DateTime.UtcNow;
        var expired = Mode == Behaviour.Expired;
        var usedNonce = Mode == Behaviour.ReplayedNonce && _lastNonce is not null ? _lastNonce : nonce;
        if (Mode == Behaviour.Valid)
        {
            _lastNonce = nonce;
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Url,
            Audience = Mode == Behaviour.WrongAudience ? "someone-else" : ClientId,
            IssuedAt = expired ? now.AddHours(-2) : now,
            NotBefore = expired ? now.AddHours(-2) : now.AddSeconds(-5),
            Expires = expired ? now.AddHours(-1) : now.AddMinutes(10),
            SigningCredentials = new SigningCredentials(Mode == Behaviour.WrongSignature ? _foreignKey : _key, SecurityAlgorithms.RsaSha256),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = "00000000-erin",
                ["preferred_username"] = UserName,
                ["name"] = "Erin Example",
                ["email"] = "erin@example.com",
                ["nonce"] = usedNonce,
                ["groups"] = new[] { "6a1f0c3e-sre-guid", "unmapped-group" },
                ["roles"] = new[] { "Portal.Reader" },
            },
        });
    }

    private sealed record Grant(string RedirectUri, string Nonce, string CodeChallenge);
}
