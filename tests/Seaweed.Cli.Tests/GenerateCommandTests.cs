using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Seaweed.Data;
using Seaweed.Data.Curation;
using Seaweed.Data.Store;
using Seaweed.Data.Video;
using Seaweed.Grains.Generation;
using Seaweed.Silo;
using Seaweed.Tests.Shared;

namespace Seaweed.Cli.Tests;

[Collection(Cli.Environment)]
public sealed class GenerateCommandTests : IDisposable
{
    private const string ArtefactsVariable = "Seaweed__Artefacts__Path";
    private const string GatewayVariable = "Seaweed__Cluster__GatewayPort";
    private const string ClusterIdVariable = "Seaweed__Cluster__ClusterId";
    private readonly SiloState state = new();
    private readonly string model;

    public GenerateCommandTests()
    {
        model = TinyModel.Save(Path.Combine(state.Root, "model"));
        Environment.SetEnvironmentVariable(ArtefactsVariable, Path.Combine(state.Root, "artefacts"));
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(ArtefactsVariable, null);
        Environment.SetEnvironmentVariable(GatewayVariable, null);
        Environment.SetEnvironmentVariable(ClusterIdVariable, null);
        state.Dispose();
    }

    /// <summary>The tiny model's smallest video, two steps; <paramref name="option"/> replaces its default.</summary>
    private string[] Args(string prompt, params string[] extra) => Args(prompt, null, null, extra);

    private string[] Args(string prompt, string? option, string? value, params string[] extra)
    {
        var defaults = new Dictionary<string, string> { ["--frames"] = "9", ["--size"] = "32x32", ["--steps"] = "2" };
        if (option is not null) defaults[option] = value!;
        return ["generate", prompt, "--model", model, .. defaults.SelectMany(kv => new[] { kv.Key, kv.Value }), .. extra];
    }

    [Fact]
    public async Task Writes_an_mp4_with_the_rephrased_caption_and_the_same_seed_gives_the_same_frames()
    {
        string output = Path.Combine(state.Root, "out.mp4");
        var (code, stdout, stderr) = Cli.Seaweed(Args("Please show me a crimson ball going left, sparkly", "--seed", "4", "-o", output, "--json"));
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var r = doc.RootElement;
        Assert.Equal("red circle moves to the left", r.GetProperty("caption").GetString());
        Assert.Contains(r.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("'sparkly'"));
        Assert.Equal(output, r.GetProperty("output").GetString());
        Assert.Equal(JsonValueKind.Null, r.GetProperty("notice").ValueKind);

        var ffmpeg = Ffmpeg.Locate();
        var probe = await ffmpeg.ProbeAsync(output);
        Assert.Equal((32, 32, 9), (probe.Width, probe.Height, probe.DeclaredFrameCount));
        Assert.Contains("mp4", probe.Container);

        // The same seed again: the same frames (read through the lossless GIF-free path: both decode alike).
        string again = Path.Combine(state.Root, "again.mp4");
        Assert.Equal(0, Cli.Seaweed(Args("Please show me a crimson ball going left, sparkly", "--seed", "4", "-o", again)).Code);
        Assert.Equal((await ffmpeg.DecodeAsync(output)).Data, (await ffmpeg.DecodeAsync(again)).Data);
    }

    [Fact]
    public void An_image_starts_the_video_and_a_gif_is_written_when_asked_for()
    {
        var image = new VideoFrames(32, 32, 1, 8);
        new Random(2).NextBytes(image.Data);
        string png = Path.Combine(state.Root, "first.png");
        File.WriteAllBytes(png, PngEncoder.Encode(image));
        string output = Path.Combine(state.Root, "from-image.gif");
        var (code, stdout, stderr) = Cli.Seaweed("generate", "a red ball rises", "--model", model, "--frames", "9", "--steps", "2", "--image", png, "-o", output);
        Assert.True(code == 0, stderr);
        Assert.Contains("caption: red circle moves up", stdout);
        Assert.Equal("GIF89a", System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(output), 0, 6));
    }

    [Theory]
    [InlineData("--size", "--size", "33x32")]
    [InlineData("--size", "--size", "big")]
    [InlineData("--frames", "--frames", "10")]
    [InlineData("--steps", "--steps", "0")]
    [InlineData("--guidance", "--guidance", "NaN")]
    [InlineData("-o", "-o", "out.avi")]
    [InlineData("--image", "--image", "missing.png")]
    [InlineData("--image", "--image", "not-an-image.png")]
    [InlineData("--tiles", "--tiles", "0x2")]
    [InlineData("--tiles", "--tiles", "9x1")]
    [InlineData("--tiles", "--tiles", "big")]
    [InlineData("PROMPT", null, null)]
    public void Bad_input_exits_with_one_line_naming_the_option(string expected, string? option, string? value)
    {
        File.WriteAllText(Path.Combine(state.Root, "not-an-image.png"), "hello");
        string? given = option is "--image" ? Path.Combine(state.Root, value!) : value;
        SiloState.AssertBadInput(Cli.Seaweed(Args(option is null ? " " : "a red ball", option, given)), expected);
    }

    [Fact]
    public async Task With_cluster_the_job_runs_on_a_running_silo_joined_as_a_client()
    {
        // A silo of its own on loopback, with this test's state and artefacts and the tiny model as its default.
        var settings = SiloSettings.Load();
        var store = ArtefactStoreFactory.Create(settings.Artefacts);
        await using var silo = await EmbeddedCluster.StartAsync(1, 1, store, new CurationOptions(), settings.StateDirectory,
            (_, s) => s.AddGeneration(new GenerationOptions { DefaultModel = model }));
        Environment.SetEnvironmentVariable(GatewayVariable, silo.GatewayPorts[0].ToString(CultureInfo.InvariantCulture));
        Environment.SetEnvironmentVariable(ClusterIdVariable, silo.ClusterId);

        string output = Path.Combine(state.Root, "on-cluster.mp4");
        var (code, stdout, stderr) = Cli.Seaweed(Args("a red ball rises", "--cluster", "--tiles", "2x2", "--json", "-o", output));
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var r = doc.RootElement;
        Assert.Contains(silo.ClusterId, r.GetProperty("ranOn").GetString());
        // The job is the silo's: it ran there, decoded on its tiles, and the file written is the video it stored.
        var job = await silo.Grains.GetGrain<IGenerationGrain>(r.GetProperty("jobId").GetString()!).GetStatus();
        string address = silo.Silos[0].ToParsableString();
        Assert.Equal((GenerationPhase.Succeeded, address), (job.Phase, job.Silo));
        Assert.Equal([address], job.DecodedOn);
        Assert.Equal([address], r.GetProperty("decodedOn").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(await store.ReadAllBytesAsync(job.VideoKey!), await File.ReadAllBytesAsync(output));
    }

    [Fact]
    public void With_cluster_and_no_silo_at_the_gateway_the_error_names_the_cluster_settings()
    {
        Environment.SetEnvironmentVariable(GatewayVariable, FreePort().ToString(CultureInfo.InvariantCulture));
        Environment.SetEnvironmentVariable(ClusterIdVariable, "nobody-here");
        var result = Cli.Seaweed(Args("a red ball rises", "--cluster", "-o", Path.Combine(state.Root, "never.mp4")));
        SiloState.AssertBadInput(result, ClusterSettings.Section);
        Assert.False(File.Exists(Path.Combine(state.Root, "never.mp4")));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public void A_missing_model_is_named_with_its_path()
    {
        string missing = Path.Combine(state.Root, "no-model");
        var result = Cli.Seaweed("generate", "a red ball", "--model", missing);
        SiloState.AssertBadInput(result, "--model");
        Assert.Contains(missing, result.Err);
    }
}
