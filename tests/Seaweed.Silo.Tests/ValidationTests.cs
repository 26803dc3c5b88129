using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using Seaweed.Data;
using Seaweed.Data.Video;

namespace Seaweed.Silo.Tests;

/// <summary>Every bad request is a 400 problem naming the field, and leaves no grain state or artefact behind.</summary>
public sealed class ValidationTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    private TestSilo Silo => fixture.Silo;

    public static TheoryData<string, string> BadVideos => new()
    {
        { """{"prompt": ""}""", "prompt" },
        { """{"prompt": "   "}""", "prompt" },
        { $$"""{"prompt": "{{new string('a', 10_000)}}"}""", "prompt" },
        { """{"frames": 5}""", "prompt" },
        { """{"prompt": "a red ball", "size": "40x32"}""", "size" },
        { """{"prompt": "a red ball", "frames": 10001}""", "frames" },
        { """{"prompt": "a red ball", "size": "big"}""", "size" },
        { """{"prompt": "a red ball", "size": "32x32", "width": 32}""", "size" },
        { """{"prompt": "a red ball", "width": 32, "height": 24}""", "height" },
        { """{"prompt": "a red ball", "width": 4096, "height": 32}""", "width" },
        { """{"prompt": "a red ball", "width": 32}""", "height" },
        { """{"prompt": "a red ball", "frames": 0}""", "frames" },
        { """{"prompt": "a red ball", "frames": -4}""", "frames" },
        { """{"prompt": "a red ball", "frames": 6}""", "frames" },
        { """{"prompt": "a red ball", "frames": "many"}""", "frames" },
        { """{"prompt": "a red ball", "steps": 0}""", "steps" },
        { """{"prompt": "a red ball", "steps": 1000}""", "steps" },
        { """{"prompt": "a red ball", "guidance": "NaN"}""", "guidance" },
        { """{"prompt": "a red ball", "guidance": "-Infinity"}""", "guidance" },
        { """{"prompt": "a red ball", "guidance": -1}""", "guidance" },
        { """{"prompt": "a red ball", "image": "aGVsbG8gd29ybGQ="}""", "image" },
        { """{"prompt": "a red ball", "image": "not base64!"}""", "image" },
        { """{"prompt": "a red ball", "jobId": "../escape"}""", "jobId" },
        { """{"prompt": "a red ball", "jobId": ""}""", "jobId" },
        { """{"prompt": "a red ball", "step": 3}""", "step" },
        { """["a red ball"]""", "body" },
        { """{"prompt": "a red ball",""", "body" },
    };

    [Theory]
    [MemberData(nameof(BadVideos))]
    public async Task A_bad_video_request_names_the_field_and_stores_nothing(string body, string field)
    {
        using var response = await Silo.Client.PostAsync("/v1/videos", Json.Body(body));
        Assert.Contains(field, await Json.Problem(response, HttpStatusCode.BadRequest));
        Assert.Empty(Silo.StoredFiles());
    }

    [Fact]
    public async Task Fields_that_do_not_parse_are_named_with_the_first_setting_out_of_range()
    {
        using var response = await Silo.Client.PostAsync("/v1/videos", Json.Body("""{"prompt": "a red ball", "jobId": "no/slash", "steps": 1000}"""));
        Assert.Equal(["jobId", "steps"], (await Json.Problem(response, HttpStatusCode.BadRequest)).Order());
        Assert.Empty(Silo.StoredFiles());
    }

    [Fact]
    public async Task An_image_of_another_size_than_the_video_is_refused()
    {
        string png = Convert.ToBase64String(PngEncoder.Encode(new VideoFrames(16, 16, 1, 24)));
        using var response = await Silo.Client.PostAsync("/v1/videos", Json.Body(new { prompt = "a red ball", size = "32x32", image = png }));
        Assert.Contains("image", await Json.Problem(response, HttpStatusCode.BadRequest));
        Assert.Empty(Silo.StoredFiles());
    }

    [Fact]
    public async Task An_image_whose_header_declares_a_huge_size_is_refused_from_the_header()
    {
        // 4x4 pixels of data under an IHDR that claims 20000x20000: decoding would allocate 1.2 GB before finding out.
        byte[] png = PngEncoder.Encode(new VideoFrames(4, 4, 1, 24));
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), 20000);
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), 20000);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), Crc32.Compute(png.AsSpan(12, 17)));
        using var response = await Silo.Client.PostAsync("/v1/videos", Json.Body(new { prompt = "a red ball", image = Convert.ToBase64String(png) }));
        Assert.Equal(["image"], await Json.Problem(response, HttpStatusCode.BadRequest));
        Assert.Contains("is 20000x20000; a video side is at most", await response.Content.ReadAsStringAsync());
        Assert.Empty(Silo.StoredFiles());
    }

    [Fact]
    public async Task A_multipart_file_that_is_not_an_image_is_refused()
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent("a red ball"), "prompt" },
            { new ByteArrayContent("GIF89a not a png"u8.ToArray()) { Headers = { ContentType = new MediaTypeHeaderValue("image/png") } }, "image", "first.png" },
        };
        using var response = await Silo.Client.PostAsync("/v1/videos", form);
        Assert.Contains("image", await Json.Problem(response, HttpStatusCode.BadRequest));
        Assert.Empty(Silo.StoredFiles());
    }

    [Fact]
    public async Task A_multipart_field_that_is_not_a_number_is_named()
    {
        using var form = new MultipartFormDataContent { { new StringContent("a red ball"), "prompt" }, { new StringContent("ten"), "steps" } };
        using var response = await Silo.Client.PostAsync("/v1/videos", form);
        Assert.Equal(["steps"], await Json.Problem(response, HttpStatusCode.BadRequest));
        Assert.Empty(Silo.StoredFiles());
    }

    public static TheoryData<string, string> BadStories => new()
    {
        { """{"description": "", "shots": [{"prompt": "a red ball"}]}""", "description" },
        { """{"description": "a red ball", "shots": []}""", "shots" },
        { """{"description": "a red ball"}""", "shots" },
        { """{"description": "a red ball", "shots": [{"prompt": ""}]}""", "shots[0].prompt" },
        { """{"description": "a red ball", "shots": [{"prompt": "moves left"}, {"prompt": "moves up", "frames": 0}]}""", "shots[1].frames" },
        { """{"description": "a red ball", "shots": [{"prompt": "moves left", "transition": "continue"}]}""", "shots[0].transition" },
        { """{"description": "a red ball", "shots": [{"prompt": "moves left"}, {"prompt": "moves up", "transition": "fade"}]}""", "shots[1].transition" },
        { """{"description": "a red ball", "shots": [null]}""", "shots[0]" },
        { """{"description": "a red ball", "shots": [{"prompt": "moves left"}], "size": "33x32"}""", "size" },
        { """{"description": "a red ball", "shots": [{"prompt": "moves left", "frame": 5}]}""", "shots[0].frame" },
    };

    [Theory]
    [MemberData(nameof(BadStories))]
    public async Task A_bad_story_request_names_the_field_and_stores_nothing(string body, string field)
    {
        using var response = await Silo.Client.PostAsync("/v1/stories", Json.Body(body));
        Assert.Contains(field, await Json.Problem(response, HttpStatusCode.BadRequest));
        Assert.Empty(Silo.StoredFiles());
    }

    [Theory]
    [InlineData("/v1/videos/never-submitted")]
    [InlineData("/v1/videos/never-submitted/content")]
    [InlineData("/v1/videos/never-submitted/events")]
    [InlineData("/v1/videos/not%20an%20id")]
    [InlineData("/v1/stories/never-started")]
    [InlineData("/v1/stories/never-started/events")]
    public async Task An_unknown_id_is_404_and_stores_nothing(string path)
    {
        using var response = await Silo.Client.GetAsync(path);
        await Json.Problem(response, HttpStatusCode.NotFound);
        using var cancel = await Silo.Client.DeleteAsync(path.Replace("/content", "").Replace("/events", ""));
        await Json.Problem(cancel, HttpStatusCode.NotFound);
        Assert.Empty(Silo.StoredFiles());
    }
}
