using System.Net;
using Seaweed.Data;
using Seaweed.Data.Video;

namespace Seaweed.Silo.Tests;

/// <summary>One host whose jobs run on the real generation grain and the tiny test model.</summary>
public sealed class GeneratingSiloFixture : IAsyncLifetime
{
    public TestSilo Silo { get; private set; } = null!;

    public async Task InitializeAsync() => Silo = await TestSilo.StartAsync(fakes: false, new Dictionary<string, string?>
    {
        ["Seaweed:Generation:QueueCapacity"] = "1",
    });

    public async Task DisposeAsync() => await Silo.DisposeAsync();
}

/// <summary>The API over real generation: 2 steps of the tiny model at its native 9 frames of 32×32.</summary>
public sealed class GenerationTests(GeneratingSiloFixture fixture) : IClassFixture<GeneratingSiloFixture>
{
    private TestSilo Silo => fixture.Silo;

    [Fact]
    public async Task Server_sent_events_follow_a_generated_video_to_its_content()
    {
        var png = Convert.ToBase64String(PngEncoder.Encode(new VideoFrames(32, 32, 1, 24)));
        using var response = await Silo.Client.PostAsync("/v1/videos", Json.Body(new { prompt = "a red circle moves left", steps = 2, seed = 3, image = png }));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        string id = (string)(await Json.Read(response))["id"]!;

        var events = await Sse.ReadAll(Silo.Client, $"/v1/videos/{id}/events", TimeSpan.FromSeconds(60));
        var last = events[^1].Data;
        Assert.True(Sse.Phase(last) == "succeeded", last.ToJsonString());
        Assert.Contains(events, e => Sse.Phase(e.Data) == "running");
        var steps = events.Select(e => (int)e.Data["step"]!).ToArray();
        Assert.Equal(steps.Order(), steps);
        Assert.Equal(2, steps[^1]);

        using var content = await Silo.Client.GetAsync($"/v1/videos/{id}/content");
        Assert.Equal(HttpStatusCode.OK, content.StatusCode);
        var bytes = await content.Content.ReadAsByteArrayAsync();
        string type = content.Content.Headers.ContentType!.MediaType!;
        // MP4 with ffmpeg ('ftyp' box at byte 4), GIF without.
        Assert.True(type == "video/mp4" ? bytes.AsSpan(4, 4).SequenceEqual("ftyp"u8) : type == "image/gif" && bytes.AsSpan(0, 3).SequenceEqual("GIF"u8), type);
    }

    [Fact]
    public async Task A_request_past_the_full_queue_is_429_and_stores_nothing_under_its_id()
    {
        using var slow = await Silo.Client.PostAsync("/v1/videos", Json.Body(new { prompt = "a big blue box rises", steps = 50, frames = 33, size = "64x64", jobId = "slow-1" }));
        Assert.Equal(HttpStatusCode.Accepted, slow.StatusCode);
        try
        {
            var png = Convert.ToBase64String(PngEncoder.Encode(new VideoFrames(32, 32, 1, 24)));
            using var refused = await Silo.Client.PostAsync("/v1/videos", Json.Body(new { prompt = "a red circle", steps = 2, image = png, jobId = "refused-2" }));
            await Json.Problem(refused, HttpStatusCode.TooManyRequests);
            Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
            Assert.DoesNotContain(Silo.StoredFiles(), f => f.Contains("refused-2", StringComparison.Ordinal));
            using var unknown = await Silo.Client.GetAsync("/v1/videos/refused-2");
            await Json.Problem(unknown, HttpStatusCode.NotFound);
        }
        finally
        {
            using var cancel = await Silo.Client.DeleteAsync("/v1/videos/slow-1");
        }
    }
}
