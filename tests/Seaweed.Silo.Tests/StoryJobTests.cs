using System.Net;

namespace Seaweed.Silo.Tests;

public sealed class StoryJobTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    private TestSilo Silo => fixture.Silo;

    [Fact]
    public async Task A_story_is_accepted_with_its_shots_and_can_be_read_back()
    {
        var body = new
        {
            description = "a red ball",
            storyId = "story-1",
            shots = new object[] { new { prompt = "moves left" }, new { prompt = "moves up", frames = 9, transition = "continue" } },
        };
        using var response = await Silo.Client.PostAsync("/v1/stories", Json.Body(body));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("/v1/stories/story-1", response.Headers.Location?.ToString());
        using var read = await Silo.Client.GetAsync("/v1/stories/story-1");
        var story = await Json.Read(read);
        Assert.Equal("story-1", (string)story["id"]!);
        Assert.Equal(2, story["shots"]!.AsArray().Count);
    }
}
