using System.Net;
using Seaweed.Silo.Api;

namespace Seaweed.Silo.Tests;

public sealed class AuthenticationTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    private TestSilo Silo => fixture.Silo;

    /// <summary>Every route of the API proper; the dashboard answers a request without a key with its sign-in page instead.</summary>
    public static TheoryData<string, string> ApiRoutes => new()
    {
        { "GET", "/v1/videos/abc" },
        { "POST", "/v1/videos" },
        { "DELETE", "/v1/videos/abc" },
        { "GET", "/v1/videos/abc/content" },
        { "GET", "/v1/videos/abc/events" },
        { "POST", "/v1/stories" },
        { "GET", "/v1/stories/abc" },
    };

    public static TheoryData<string, string> Routes
    {
        get
        {
            var routes = ApiRoutes;
            routes.Add("GET", SeaweedApi.Dashboard);
            return routes;
        }
    }

    [Theory]
    [MemberData(nameof(ApiRoutes))]
    public async Task Without_a_key_every_route_is_401(string method, string path)
    {
        using var response = await Silo.Anonymous.SendAsync(Request(method, path));
        await Json.Problem(response, HttpStatusCode.Unauthorized);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_wrong_key_is_401(string method, string path)
    {
        var request = Request(method, path);
        request.Headers.Add(ApiKeyAuthentication.Header, TestSilo.Key[..^1] + "X");
        using var response = await Silo.Anonymous.SendAsync(request);
        await Json.Problem(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_key_is_accepted_as_header_or_bearer_token()
    {
        using var byHeader = await Silo.Client.GetAsync("/v1/videos/never-submitted");
        Assert.Equal(HttpStatusCode.NotFound, byHeader.StatusCode);

        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/videos/never-submitted");
        request.Headers.Authorization = TestSilo.Bearer(TestSilo.Key);
        using var byBearer = await Silo.Anonymous.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, byBearer.StatusCode);

        var wrongBearer = new HttpRequestMessage(HttpMethod.Get, "/v1/videos/never-submitted");
        wrongBearer.Headers.Authorization = TestSilo.Bearer("not-the-key-0123456789");
        using var refused = await Silo.Anonymous.SendAsync(wrongBearer);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task The_dashboard_is_served_with_a_key()
    {
        using var response = await Silo.Client.GetAsync(SeaweedApi.Dashboard);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("html", response.Content.Headers.ContentType?.MediaType);
    }

    private static HttpRequestMessage Request(string method, string path) => new(new HttpMethod(method), path)
    {
        Content = method == "POST" ? Json.Body(new { prompt = "a red ball" }) : null,
    };
}
