using System.Net;

namespace Seaweed.Silo.Tests;

/// <summary>The story routes over the real story and generation grains on the tiny test model.</summary>
public sealed class StoryJobTests(GeneratingSiloFixture fixture) : IClassFixture<GeneratingSiloFixture>
{
    private TestSilo Silo => fixture.Silo;

    [Fact]
    public async Task A_story_runs_its_shots_to_one_video_followed_by_server_sent_events()
    {
        var body = new
        {
            description = "a red ball",
            storyId = "story-1",
            steps = 2,
            shots = new object[] { new { prompt = "moves left", frames = 9 }, new { prompt = "moves up", frames = 9, transition = "continue" } },
        };
        using var response = await Silo.Client.PostAsync("/v1/stories", Json.Body(body));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("/v1/stories/story-1", response.Headers.Location?.ToString());

        var events = await Sse.ReadAll(Silo.Client, "/v1/stories/story-1/events", TimeSpan.FromSeconds(120));
        var last = events[^1].Data;
        Assert.True(Sse.Phase(last) == "succeeded", last.ToJsonString());
        Assert.Equal(2, last["shots"]!.AsArray().Count);

        using var read = await Silo.Client.GetAsync("/v1/stories/story-1");
        Assert.Equal("succeeded", Sse.Phase(await Json.Read(read)));
        using var content = await Silo.Client.GetAsync("/v1/stories/story-1/content");
        Assert.Equal(HttpStatusCode.OK, content.StatusCode);
        Assert.True((await content.Content.ReadAsByteArrayAsync()).Length > 0);

        // Each shot's job id, as the story hands it out, is one the video routes answer: status and per-shot video.
        foreach (var shot in last["shots"]!.AsArray())
        {
            string jobId = shot!["jobId"]!.GetValue<string>();
            Assert.Contains('.', jobId);
            using var job = await Silo.Client.GetAsync($"/v1/videos/{jobId}");
            Assert.Equal(HttpStatusCode.OK, job.StatusCode);
            var view = await Json.Read(job);
            Assert.Equal(jobId, view["id"]!.GetValue<string>());
            Assert.Equal("succeeded", Sse.Phase(view));
            using var video = await Silo.Client.GetAsync($"/v1/videos/{jobId}/content");
            Assert.Equal(HttpStatusCode.OK, video.StatusCode);
            Assert.True((await video.Content.ReadAsByteArrayAsync()).Length > 0);
        }
    }
}
