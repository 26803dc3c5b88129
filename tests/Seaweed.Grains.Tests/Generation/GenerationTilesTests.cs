using Seaweed.Data.Prompts;
using Seaweed.Grains.Decoding;
using Seaweed.Grains.Generation;
using Seaweed.Model;
using Seaweed.Model.Pipeline;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Seaweed.Grains.Tests.Generation;

/// <summary>
/// Two silos whose generation decodes frames of more than 32×32 pixels on 2×2 tiles: a job's video decoded on tiles
/// across both silos against the same job decoded whole on its own silo.
/// </summary>
public sealed class GenerationTilesTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_video_decoded_on_tiles_across_silos_has_the_frames_of_the_whole_decode()
    {
        await using var cluster = await GenerationCluster.StartAsync(2, options: o => o with { TileAbovePixels = 32 * 32 });
        var request = GenerationCluster.Request(seed: 3);
        await cluster.Grains.GetGrain<IGenerationGrain>("whole").Submit(request);
        await cluster.Grains.GetGrain<IGenerationGrain>("tiled").Submit(request with { Tiles = new DecodeTiles(2, 2) });
        await cluster.Grains.GetGrain<IGenerationGrain>("large").Submit(request with { Width = 64 });
        var whole = (await cluster.WatchAsync("whole"))[^1];
        var tiled = (await cluster.WatchAsync("tiled"))[^1];
        var large = (await cluster.WatchAsync("large"))[^1];
        Assert.True(whole.Phase == GenerationPhase.Succeeded, whole.Error);
        Assert.True(tiled.Phase == GenerationPhase.Succeeded, tiled.Error);
        Assert.True(large.Phase == GenerationPhase.Succeeded, large.Error);

        // Whole on the job's silo; tiles placed round-robin over both silos, by the request or by the frame size.
        Assert.Null(whole.DecodedOn);
        var silos = cluster.Cluster.Silos.Select(s => s.SiloAddress.ToParsableString()).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(silos, tiled.DecodedOn!.Order(StringComparer.Ordinal));
        Assert.Equal(silos, large.DecodedOn!.Order(StringComparer.Ordinal));

        // fp32 decodes that agree to ~1e-5 round to the same byte, or to its neighbour where a value sits on a rounding edge.
        var a = FrameArchive.Decode(await cluster.Store.ReadAllBytesAsync(whole.FramesKey!), "whole");
        var b = FrameArchive.Decode(await cluster.Store.ReadAllBytesAsync(tiled.FramesKey!), "tiled");
        Assert.Equal((a.Width, a.Height, a.FrameCount), (b.Width, b.Height, b.FrameCount));
        int differ = a.Data.Zip(b.Data).Count(p => p.First != p.Second);
        output.WriteLine($"{differ} of {a.Data.Length} bytes differ by one level");
        Assert.All(a.Data.Zip(b.Data), p => Assert.InRange(p.First - p.Second, -1, 1));
        Assert.True(differ <= a.Data.Length / 1000, $"{differ} bytes differ");
        Assert.Equal((64, 32), (FrameArchive.Decode(await cluster.Store.ReadAllBytesAsync(large.FramesKey!), "large").Width, 32));
    }

    [Fact]
    public async Task The_silos_decode_a_sampled_latent_with_the_generation_model_to_the_chunked_decode_within_1e_4()
    {
        await using var cluster = await GenerationCluster.StartAsync(2);
        using var model = SeaweedModel.Load(cluster.Model);
        var r = GenerationCluster.Request(seed: 3);
        var settings = new GenerationSettings(PromptRephraser.Rephrase(r.Prompt).Caption, r.Frames, r.Height, r.Width, r.Steps, r.Guidance, r.Seed);
        using var sampled = new GenerationPipeline(model).Sample(settings);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var chunked = model.Vae.DecodeChunked(sampled.Latent, GenerationPipeline.DefaultDecodeChunkFrames);

        var request = new VaeDecodeRequest(GenerationOptions.DefaultModelName, FloatTensors.From(sampled.Latent), new TileLayout(2, 2), GenerationPipeline.DefaultDecodeChunkFrames);
        var tiled = await cluster.Grains.GetGrain<IVaeDecodeGrain>("check").DecodeAsync(request);
        using var video = tiled.Video;
        double diff = (video - chunked).abs().max().item<float>();
        output.WriteLine($"max |tiled - chunked| = {diff:E2}");
        Assert.Equal(chunked.shape, video.shape);
        Assert.InRange(diff, 0, 1e-4);
        Assert.Equal(2, tiled.TileSilos.Values.Distinct().Count());
    }
}
