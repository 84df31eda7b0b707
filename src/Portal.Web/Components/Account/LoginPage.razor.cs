using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using Portal.Web.SignIn;

namespace Portal.Web.Components.Account;

/// <summary>Server-rendered (not interactive): the form posts to /account/login, which sets the cookie.</summary>
public partial class LoginPage
{
    [Inject]
    private IOptions<SignInOptions> Options { get; set; } = default!;

    [Inject]
    private IWebHostEnvironment Environment { get; set; } = default!;

    [SupplyParameterFromQuery]
    private string? ReturnUrl { get; set; }

    [SupplyParameterFromQuery]
    private string? Error { get; set; }

    [SupplyParameterFromQuery(Name = "signedOut")]
    private string? SignedOutFlag { get; set; }

    private bool SignedOut => SignedOutFlag is not null && Error is null;

    private string? Message => Error switch
    {
        "invalid" => "Wrong user name or password.",
        "locked" => "Too many failed attempts: this account is locked for a while. Try again later.",
        "missing" => "Enter your user name and password.",
        "expired" => "The sign-in form expired. Please sign in again.",
        "sso" => "Single sign-on did not complete. Try again, or ask an administrator if it keeps failing.",
        null when SignedOut => "You are signed out.",
        null => null,
        _ => "Sign-in failed.",
    };
}
