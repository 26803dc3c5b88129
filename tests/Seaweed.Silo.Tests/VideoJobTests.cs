using System.Net;
using System.Net.Http.Headers;
using Seaweed.Data;
using Seaweed.Data.Store;
using Seaweed.Data.Video;
using Seaweed.Silo.Tests.Fakes;

namespace Seaweed.Silo.Tests;

/// <summary>The video routes over a generation grain that needs no model (<see cref="FakeGenerationGrain"/>).</summary>
public sealed class VideoJobTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    private TestSilo Silo => fixture.Silo;

    [Fact]
    public async Task A_job_is_accepted_with_its_location_and_streams_progress_to_its_video()
    {
        using var response = await Silo.Client.PostAsync("/v1/videos", Json.Body(new { prompt = "A Red Ball", steps = 3, size = "32x16" }));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var job = await Json.Read(response);
        string id = (string)job["id"]!;
        Assert.Equal($"/v1/videos/{id}", response.Headers.Location?.ToString());
        Assert.Equal("queued", Sse.Phase(job));

        var events = await Sse.ReadAll(Silo.Client, $"/v1/videos/{id}/events", TimeSpan.FromSeconds(20));
        Assert.All(events, e => Assert.Equal("status", e.Event));
        var steps = events.Select(e => (int)e.Data["step"]!).ToArray();
        Assert.Equal(steps.Order(), steps);
        Assert.Equal(3, steps[^1]);
        Assert.Equal("succeeded", Sse.Phase(events[^1].Data));
        Assert.Equal($"/v1/videos/{id}/content", (string)events[^1].Data["links"]!["content"]!);

        using var content = await Silo.Client.GetAsync($"/v1/videos/{id}/content");
        Assert.Equal(HttpStatusCode.OK, content.StatusCode);
        Assert.Equal("image/gif", content.Content.Headers.ContentType?.MediaType);
        Assert.Equal(FakeGenerationGrain.Video, await content.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task The_same_job_id_and_request_is_the_same_job_and_another_request_under_it_is_409()
    {
        var body = new { prompt = "a blue square", steps = 2, jobId = "idempotent-1" };
        using var first = await Silo.Client.PostAsync("/v1/videos", Json.Body(body));
        using var again = await Silo.Client.PostAsync("/v1/videos", Json.Body(body));
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal((string)(await Json.Read(first))["created"]!, (string)(await Json.Read(again))["created"]!);

        // Finished (cancelled or done), the job's files no longer change on their own. Only this job's files are
        // compared: other tests' jobs on the same silo may still be writing theirs.
        using var cancel = await Silo.Client.DeleteAsync("/v1/videos/idempotent-1");
        var stored = JobFiles("idempotent-1");
        Assert.NotEmpty(stored);
        using var other = await Silo.Client.PostAsync("/v1/videos", Json.Body(body with { prompt = "a green circle" }));
        await Json.Problem(other, HttpStatusCode.Conflict);
        Assert.Equal(stored, JobFiles("idempotent-1"));
    }

    [Fact]
    public async Task A_full_queue_is_429_with_retry_after_and_stores_nothing_under_the_job()
    {
        string png = Convert.ToBase64String(PngEncoder.Encode(new VideoFrames(32, 32, 1, 24)));
        using var response = await Silo.Client.PostAsync("/v1/videos", Json.Body(new { prompt = FakeGenerationGrain.QueueFullPrompt, image = png, jobId = "refused-1" }));
        await Json.Problem(response, HttpStatusCode.TooManyRequests);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.DoesNotContain(Silo.StoredFiles(), f => f.Contains("refused-1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_video_is_409_until_the_job_succeeds_and_a_cancelled_job_never_has_one()
    {
        using var response = await Silo.Client.PostAsync("/v1/videos", Json.Body(new { prompt = "a slow job", steps = 50 }));
        string id = (string)(await Json.Read(response))["id"]!;
        using var early = await Silo.Client.GetAsync($"/v1/videos/{id}/content");
        await Json.Problem(early, HttpStatusCode.Conflict);

        using var cancel = await Silo.Client.DeleteAsync($"/v1/videos/{id}");
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal("cancelled", Sse.Phase(await Json.Read(cancel)));
        using var status = await Silo.Client.GetAsync($"/v1/videos/{id}");
        Assert.Equal("cancelled", Sse.Phase(await Json.Read(status)));
        using var late = await Silo.Client.GetAsync($"/v1/videos/{id}/content");
        await Json.Problem(late, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_multipart_image_is_stored_under_its_hash_and_sets_the_size()
    {
        var png = PngEncoder.Encode(new VideoFrames(48, 16, 1, 24));
        using var form = new MultipartFormDataContent
        {
            { new StringContent("a red ball"), "prompt" },
            { new StringContent("multipart-1"), "jobId" },
            { new ByteArrayContent(png) { Headers = { ContentType = new MediaTypeHeaderValue("image/png") } }, "image", "first.png" },
        };
        using var response = await Silo.Client.PostAsync("/v1/videos", form);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(png, File.ReadAllBytes(UploadPath(png)));
        using var cancel = await Silo.Client.DeleteAsync("/v1/videos/multipart-1");
    }

    [Fact]
    public async Task Identical_concurrent_and_refused_requests_share_one_stored_image_and_never_remove_it()
    {
        var frame = new VideoFrames(32, 32, 1, 24);
        frame.Data[0] = 7; // an image no other test uploads
        byte[] png = PngEncoder.Encode(frame);
        var body = new { prompt = "a red ball", steps = 2, image = Convert.ToBase64String(png), jobId = "same-image-1" };
        var posts = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Silo.Client.PostAsync("/v1/videos", Json.Body(body))));
        Assert.All(posts, p => Assert.Equal(HttpStatusCode.Accepted, p.StatusCode));
        foreach (var p in posts) p.Dispose();

        // Refused requests carrying the same image (another request under the id; a full queue) leave it in place.
        using var conflict = await Silo.Client.PostAsync("/v1/videos", Json.Body(body with { prompt = "a green circle" }));
        await Json.Problem(conflict, HttpStatusCode.Conflict);
        using var full = await Silo.Client.PostAsync("/v1/videos", Json.Body(body with { prompt = FakeGenerationGrain.QueueFullPrompt, jobId = "same-image-2" }));
        await Json.Problem(full, HttpStatusCode.TooManyRequests);

        Assert.Equal(png, File.ReadAllBytes(UploadPath(png)));
        Assert.DoesNotContain(Silo.StoredFiles(), f => f.Contains("same-image-2", StringComparison.Ordinal));
        using var cancel = await Silo.Client.DeleteAsync("/v1/videos/same-image-1");
    }

    private string UploadPath(byte[] png) => Path.Combine(Silo.ArtefactDirectory, Uploads.Key(png, ".png"));

    private string[] JobFiles(string jobId) => Silo.StoredFiles().Where(f => f.Contains(jobId, StringComparison.Ordinal)).ToArray();
}
