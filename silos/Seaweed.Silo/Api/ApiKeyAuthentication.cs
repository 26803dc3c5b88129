using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Seaweed.Silo.Api;

/// <summary>
/// API-key authentication: the key comes as <c>X-Api-Key: KEY</c> or <c>Authorization: Bearer KEY</c>. A request
/// without one, or with a key not configured, is answered 401 with a problem document.
/// </summary>
internal sealed class ApiKeyAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeys keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";
    private const string Bearer = "Bearer ";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Presented(Request) is not { } key) return Task.FromResult(AuthenticateResult.NoResult());
        if (!keys.Accepts(key)) return Task.FromResult(AuthenticateResult.Fail("the API key is not valid"));
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "api-key")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = $"Bearer, {SchemeName} header=\"{Header}\"";
        return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "An API key is required",
            detail: $"Send a configured key as '{Header}: KEY' or 'Authorization: Bearer KEY'.").ExecuteAsync(Context);
    }

    /// <summary>The key the request presents, if any.</summary>
    public static string? Presented(HttpRequest request)
    {
        if (request.Headers[Header].ToString() is { Length: > 0 } key) return key;
        string authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase) && authorization.Length > Bearer.Length
            ? authorization[Bearer.Length..].Trim()
            : null;
    }
}
