using Seaweed.Model.Tiling;
using static TorchSharp.torch;

namespace Seaweed.Model.Tests.Tiling;

public class TiledDecodeTests
{
    public static TheoryData<string, int[], int[], int[]> Cases()
    {
        var data = new TheoryData<string, int[], int[], int[]>();
        foreach (var variant in new[] { "48x", "64x" })
        {
            data.Add(variant, [5], [5], [0, 4]);          // 1×1, one chunk
            data.Add(variant, [2, 3], [3, 2], [0, 1, 2, 3, 4]); // 2×2, a frame at a time
            data.Add(variant, [1, 3, 1], [2, 3], [0, 1, 3, 4]); // 3×2 of unequal tiles, streaming by 2
            data.Add(variant, [2, 1, 2], [4, 1], [0, 3, 4]);    // 3×2, a first chunk of 3 frames
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Tiled_decode_equals_whole_frame_decode(string variant, int[] rowHeights, int[] columnWidths, int[] frameBounds)
    {
        var config = TilingVaes.Get(variant);
        using var vae = TilingVaes.Build(config);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var latent = TilingVaes.Latent(config, 4, 5, 5);
        var whole = vae.Decode(latent);
        var tiled = InProcessTiledDecode.Run(vae, latent, TileGrid.FromSizes(rowHeights, columnWidths), FrameChunks.FromBounds(frameBounds));
        Assert.Equal(new long[] { 1, 3, 13, 5 * config.SpatialDownsample, 5 * config.SpatialDownsample }, tiled.shape);
        TensorAssert.Close(whole, tiled, 5e-5); // fp32 whole decode is itself ≈5e-6 from a float64 one
    }

    [Fact]
    public void Zero_padding_instead_of_halos_would_differ_so_the_comparison_can_fail()
    {
        var config = TilingVaes.Vae48;
        using var vae = TilingVaes.Build(config);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var latent = TilingVaes.Latent(config, 2, 4, 4);
        var whole = vae.Decode(latent);
        // Each half decoded on its own, as naive tiling would: its edge pixels are wrong.
        var left = vae.Decode(latent[.., .., .., .., ..2]);
        Assert.True(TensorAssert.MaxAbsDiff(whole[.., .., .., .., ..16], left) > 1e-3);
    }

    [Fact]
    public void A_tiles_latent_of_the_wrong_size_is_rejected()
    {
        var config = TilingVaes.Vae48;
        using var vae = TilingVaes.Build(config);
        using var decoder = new TileDecoder(vae, TileGrid.Even(4, 4, 2, 2), FrameChunks.Whole(2), 0, InProcessTileTransport.Create(4)[0]);
        var e = Assert.Throws<ConfigException>(() => decoder.Decode(zeros([1, config.LatentChannels, 2, 3, 2])));
        Assert.Equal("latent", e.Field);
        Assert.Equal(1, TileDecoder.Halo(vae));
    }

    [Fact]
    public void A_grid_or_chunks_off_the_latent_are_rejected_before_any_tile_starts()
    {
        var config = TilingVaes.Vae48;
        using var vae = TilingVaes.Build(config);
        var latent = zeros([1, config.LatentChannels, 3, 4, 4]);
        Assert.Equal("latent.height", Assert.Throws<ConfigException>(() =>
            InProcessTiledDecode.Run(vae, latent, TileGrid.FromSizes([2, 3], [4]), FrameChunks.Whole(3))).Field);
        Assert.Equal("latent.frames", Assert.Throws<ConfigException>(() =>
            InProcessTiledDecode.Run(vae, latent, TileGrid.Even(4, 4, 2, 2), FrameChunks.Whole(2))).Field);
        Assert.Equal("latent", Assert.Throws<ConfigException>(() =>
            InProcessTiledDecode.Run(vae, zeros([1, 3, 3, 4, 4]), TileGrid.Even(4, 4, 2, 2), FrameChunks.Whole(3))).Field);
    }

    [Fact]
    public void A_failing_tile_ends_the_others_waits_and_is_reported()
    {
        var config = TilingVaes.Vae48;
        using var vae = TilingVaes.Build(config);
        using var noGrad = no_grad();
        var latent = TilingVaes.Latent(config, 2, 4, 4);
        var e = Assert.Throws<AggregateException>(() => InProcessTiledDecode.Run(vae, latent, TileGrid.Even(4, 4, 2, 2), FrameChunks.Whole(2),
            new TileExchangeOptions { Timeout = TimeSpan.FromMinutes(5) }, (tile, inner) => tile == 3 ? new Broken() : inner));
        Assert.IsType<IOException>(e.InnerException);
    }

    private sealed class Broken : ITileTransport
    {
        public void Send(int to, TileTag tag, byte[] payload) => throw new IOException("link down");
        public byte[] Receive(int from, TileTag tag, TimeSpan timeout, CancellationToken cancellationToken) => throw new IOException("link down");
    }

    [Fact]
    public void A_tile_decoded_alone_against_its_recording_gives_its_part_of_the_video()
    {
        var config = TilingVaes.Vae48;
        using var vae = TilingVaes.Build(config);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var latent = TilingVaes.Latent(config, 3, 4, 5);
        var grid = TileGrid.FromSizes([1, 3], [3, 2]);
        var chunks = FrameChunks.Streaming(3, 1);
        var recording = new TileRecording();
        var video = InProcessTiledDecode.Run(vae, latent, grid, chunks, wrap: recording.Record);
        Assert.True(recording.Bytes > 0);

        using var decoder = new TileDecoder(vae, grid, chunks, 3, recording.Replay(3));
        var alone = cat(decoder.Decode(InProcessTiledDecode.Region(latent, grid.Region(3))).Select(c => c.Pixels).ToArray(), 2);
        var p = decoder.Pixels;
        Assert.Equal(new TileRegion(8, 24, 24, 16), p);
        TensorAssert.Close(video[.., .., .., p.Top..(p.Top + p.Height), p.Left..(p.Left + p.Width)], alone, 1e-6);
        Assert.Throws<InvalidOperationException>(() => recording.Replay(2).Receive(0, new TileTag(999, 0), TimeSpan.Zero, default));
    }
}
