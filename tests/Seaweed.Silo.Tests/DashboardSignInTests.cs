using System.Net;
using Seaweed.Silo.Api;

namespace Seaweed.Silo.Tests;

/// <summary>The dashboard's browser sign-in: a form posts the key once, a session cookie scoped to the dashboard follows.</summary>
public sealed class DashboardSignInTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    private TestSilo Silo => fixture.Silo;

    /// <summary>A browser: keeps cookies, follows no redirect (each one is checked).</summary>
    private HttpClient Browser(CookieContainer cookies) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies, UseCookies = true }) { BaseAddress = Silo.Client.BaseAddress };

    private const string Home = SeaweedApi.Dashboard + "/";

    private static FormUrlEncodedContent Form(string key, string returnUrl = Home) =>
        new(new Dictionary<string, string> { ["key"] = key, ["returnUrl"] = returnUrl });

    [Fact]
    public async Task A_browser_without_a_session_is_sent_to_the_sign_in_page()
    {
        using var browser = Browser(new CookieContainer());
        using var dashboard = await browser.GetAsync(SeaweedApi.Dashboard);
        Assert.Equal(HttpStatusCode.Redirect, dashboard.StatusCode);
        Assert.StartsWith(DashboardSignIn.SignInPath, dashboard.Headers.Location!.PathAndQuery);

        using var page = await browser.GetAsync(dashboard.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        string html = await page.Content.ReadAsStringAsync();
        Assert.Contains($"name=\"{DashboardSignIn.KeyField}\"", html);
        Assert.Contains("value=\"/dashboard\"", html);
    }

    [Fact]
    public async Task Signing_in_with_a_key_opens_the_dashboard_but_not_the_api()
    {
        var cookies = new CookieContainer();
        using var browser = Browser(cookies);
        using var signIn = await browser.PostAsync(DashboardSignIn.SignInPath, Form(TestSilo.Key));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal(Home, signIn.Headers.Location!.OriginalString);
        var cookie = Assert.Single(cookies.GetAllCookies());
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SeaweedApi.Dashboard, cookie.Path);
        Assert.DoesNotContain(TestSilo.Key, cookie.Value);

        using var dashboard = await browser.GetAsync(Home);
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("html", dashboard.Content.Headers.ContentType?.MediaType);

        // The session is the dashboard's alone: even sent by hand, the cookie does not open the API.
        var api = new HttpRequestMessage(HttpMethod.Get, "/v1/videos/never-submitted");
        api.Headers.Add("Cookie", $"{cookie.Name}={cookie.Value}");
        using var refused = await Silo.Anonymous.SendAsync(api);
        await Json.Problem(refused, HttpStatusCode.Unauthorized);

        using var signOut = await browser.PostAsync(DashboardSignIn.SignOutPath, null);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        using var after = await browser.GetAsync(Home);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
    }

    [Fact]
    public async Task A_wrong_key_signs_nobody_in()
    {
        var cookies = new CookieContainer();
        using var browser = Browser(cookies);
        using var signIn = await browser.PostAsync(DashboardSignIn.SignInPath, Form(TestSilo.Key[..^1] + "X"));
        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
        Assert.Contains("not one this silo accepts", await signIn.Content.ReadAsStringAsync());
        Assert.Empty(cookies.GetAllCookies());
        using var dashboard = await browser.GetAsync(SeaweedApi.Dashboard);
        Assert.Equal(HttpStatusCode.Redirect, dashboard.StatusCode);
    }

    [Theory]
    [InlineData("https://elsewhere.example/dashboard")]
    [InlineData("//elsewhere.example/dashboard")]
    [InlineData("/v1/videos")]
    public async Task The_sign_in_returns_only_to_the_dashboard(string returnUrl)
    {
        using var browser = Browser(new CookieContainer());
        using var signIn = await browser.PostAsync(DashboardSignIn.SignInPath, Form(TestSilo.Key, returnUrl));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal(Home, signIn.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_sign_in_that_is_not_a_form_is_415()
    {
        using var browser = Browser(new CookieContainer());
        using var response = await browser.PostAsync(DashboardSignIn.SignInPath, Json.Body(new { key = TestSilo.Key }));
        await Json.Problem(response, HttpStatusCode.UnsupportedMediaType);
    }
}
