using System.Net;
using System.Text.Json.Nodes;

namespace Seaweed.Silo.Tests;

public sealed class OpenApiTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    [Fact]
    public async Task The_document_lists_every_route()
    {
        using var response = await fixture.Silo.Anonymous.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["paths"]!.AsObject();
        string[] expected =
        [
            "/v1/videos", "/v1/videos/{id}", "/v1/videos/{id}/content", "/v1/videos/{id}/events",
            "/v1/stories", "/v1/stories/{id}", "/v1/stories/{id}/content", "/v1/stories/{id}/events",
        ];
        Assert.All(expected, path => Assert.True(paths.ContainsKey(path), $"{path} is missing; the document has {string.Join(", ", paths.Select(p => p.Key))}"));
        Assert.NotNull(paths["/v1/videos"]!["post"]);
        Assert.NotNull(paths["/v1/videos/{id}"]!["delete"]);
    }
}
