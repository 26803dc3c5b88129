using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Seaweed.Silo.Api;

/// <summary>
/// A browser cannot send the API key as a header, so the dashboard also takes a sign-in: a form posts a configured
/// key once and gets a session cookie scoped to <see cref="SeaweedApi.Dashboard"/>, so it never reaches
/// <c>/v1</c>, which stays key-only. The cookie names the key's digest, not the key, and stops working when that
/// key is no longer configured. Scripts may still send the key as a header.
/// </summary>
internal static class DashboardSignIn
{
    /// <summary>The dashboard's scheme: the key when the request presents one, else the session cookie.</summary>
    public const string Scheme = "Dashboard";
    public const string CookieScheme = "DashboardSession";
    public const string SignInPath = SeaweedApi.Dashboard + "/sign-in";
    public const string SignOutPath = SeaweedApi.Dashboard + "/sign-out";
    public const string KeyField = "key";
    private const string ReturnField = "returnUrl";
    private const string KeyClaim = "seaweed:key-digest";
    /// <summary>The dashboard's page itself (<c>/dashboard</c> redirects there).</summary>
    private const string Home = SeaweedApi.Dashboard + "/";

    public static AuthenticationBuilder AddDashboardSignIn(this AuthenticationBuilder builder, ApiKeys keys) => builder
        .AddCookie(CookieScheme, options =>
        {
            options.LoginPath = SignInPath;
            options.LogoutPath = SignOutPath;
            options.ReturnUrlParameter = ReturnField;
            options.Cookie.Name = "seaweed-dashboard";
            options.Cookie.Path = SeaweedApi.Dashboard;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
            options.SlidingExpiration = true;
            options.Events.OnValidatePrincipal = context =>
            {
                if (context.Principal?.FindFirst(KeyClaim)?.Value is not { } digest || !keys.IsConfigured(digest)) context.RejectPrincipal();
                return Task.CompletedTask;
            };
        })
        .AddPolicyScheme(Scheme, "API key or dashboard session", options => options.ForwardDefaultSelector = context =>
            ApiKeyAuthentication.Presented(context.Request) is null ? CookieScheme : ApiKeyAuthentication.SchemeName);

    public static void MapDashboardSignIn(this IEndpointRouteBuilder app)
    {
        app.MapGet(SignInPath, (HttpContext context) => Page(ReturnUrl(context.Request.Query[ReturnField]), error: null)).ExcludeFromDescription();
        app.MapPost(SignInPath, SignIn).ExcludeFromDescription().DisableAntiforgery();
        app.MapPost(SignOutPath, async (HttpContext context) =>
        {
            await context.SignOutAsync(CookieScheme);
            return Results.Redirect(SignInPath);
        }).ExcludeFromDescription().DisableAntiforgery();
    }

    private static async Task<IResult> SignIn(HttpContext context, ApiKeys keys)
    {
        if (!context.Request.HasFormContentType) return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType,
            title: "A form is expected", detail: $"Post the field '{KeyField}' as application/x-www-form-urlencoded.");
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        string returnUrl = ReturnUrl(form[ReturnField]);
        if (keys.DigestOf(form[KeyField].ToString()) is not { } digest)
            return Page(returnUrl, error: "That key is not one this silo accepts.", StatusCodes.Status401Unauthorized);
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "dashboard"), new Claim(KeyClaim, digest)], CookieScheme);
        await context.SignInAsync(CookieScheme, new ClaimsPrincipal(identity));
        return Results.Redirect(returnUrl);
    }

    /// <summary>Only a path of the dashboard is returned to: anything else would make the sign-in an open redirect.</summary>
    private static string ReturnUrl(string? requested) =>
        requested is { } url && url.StartsWith(SeaweedApi.Dashboard, StringComparison.Ordinal) && !url.StartsWith("//", StringComparison.Ordinal)
            && Uri.IsWellFormedUriString(url, UriKind.Relative) && !url.StartsWith(SignInPath, StringComparison.Ordinal)
            ? url
            : Home;

    private static IResult Page(string returnUrl, string? error, int status = StatusCodes.Status200OK)
    {
        string message = error is null ? "" : $"<p role=\"alert\">{WebUtility.HtmlEncode(error)}</p>";
        string html = $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Seaweed dashboard: sign in</title></head>
            <body><h1>Seaweed dashboard</h1>{message}
            <form method="post" action="{SignInPath}">
            <label>API key <input type="password" name="{KeyField}" autocomplete="current-password" required autofocus></label>
            <input type="hidden" name="{ReturnField}" value="{WebUtility.HtmlEncode(returnUrl)}">
            <button type="submit">Sign in</button>
            </form></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }
}
