using static TorchSharp.torch;

namespace Seaweed.Model.Tests;

public class CausalVaeTests
{
    private static CausalVae Build(VaeConfig config, long seed = 3)
    {
        manual_seed(seed);
        var vae = new CausalVae(config);
        vae.eval();
        return vae;
    }

    private static Tensor Video(int frames, int height, int width, long seed = 11)
    {
        manual_seed(seed);
        return rand([1, 3, frames, height, width]) * 2 - 1;
    }

    [Theory]
    [InlineData("tiny", 17, 64, 64)]
    [InlineData("tiny", 1, 64, 64)]
    [InlineData("tiny", 9, 32, 48)]
    [InlineData("tiny", 5, 48, 96)]
    [InlineData("tiny-64x", 17, 64, 64)]
    [InlineData("tiny-64x", 9, 32, 64)]
    [InlineData("tiny-64x", 1, 48, 16)]
    public void Encode_and_decode_shapes_follow_the_compression(string preset, int frames, int height, int width)
    {
        var c = Presets.Get(preset).Vae;
        using var vae = Build(c);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var z = vae.Encode(Video(frames, height, width)).Mean;
        var (lt, lh, lw) = vae.LatentShape(frames, height, width);
        Assert.Equal(new long[] { 1, c.LatentChannels, lt, lh, lw }, z.shape);
        Assert.Equal(1 + (frames - 1) / 4, lt);
        Assert.Equal(height / c.SpatialDownsample, lh);
        Assert.Equal(new long[] { 1, 3, frames, height, width }, vae.Decode(z).shape);
    }

    [Fact]
    public void Frame_counts_off_the_causal_grid_are_rejected()
    {
        using var vae = Build(TinyConfigs.Small.Vae);
        var e = Assert.Throws<ConfigException>(() => vae.Encode(Video(8, 32, 32)));
        Assert.Equal("video.frames", e.Field);
    }

    [Fact]
    public void Encoding_is_causal_later_frames_do_not_change_earlier_latents()
    {
        using var vae = Build(Presets.Tiny.Vae);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var a = Video(17, 32, 32, seed: 1);
        var b = a.clone();
        b[.., .., 9..] = Video(8, 32, 32, seed: 2); // frames 9..16 differ; latent frames 0..2 cover frames 0..8
        var za = vae.Encode(a).Mean;
        var zb = vae.Encode(b).Mean;
        TensorAssert.Close(za[.., .., ..3], zb[.., .., ..3], 1e-5);
        Assert.True(TensorAssert.MaxAbsDiff(za[.., .., 3..], zb[.., .., 3..]) > 1e-3, "later latents must see the change");
    }

    [Fact]
    public void Decoding_is_causal_later_latents_do_not_change_earlier_frames()
    {
        using var vae = Build(Presets.Tiny.Vae);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        manual_seed(5);
        var za = randn([1, 16, 5, 4, 4]);
        var zb = za.clone();
        zb[.., .., 3..] = randn([1, 16, 2, 4, 4]);
        var xa = vae.Decode(za);
        var xb = vae.Decode(zb);
        TensorAssert.Close(xa[.., .., ..9], xb[.., .., ..9], 1e-5); // latent frames 0..2 → frames 0..8
        Assert.True(TensorAssert.MaxAbsDiff(xa[.., .., 9..], xb[.., .., 9..]) > 1e-3);
    }

    [Theory]
    [InlineData("tiny")]
    [InlineData("tiny-64x")]
    public void An_image_encodes_and_decodes_as_the_first_frame_of_a_video(string preset)
    {
        using var vae = Build(Presets.Get(preset).Vae);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var video = Video(9, 32, 32);
        var zVideo = vae.Encode(video).Mean;
        var zImage = vae.Encode(video[.., .., ..1]).Mean;
        TensorAssert.Close(zVideo[.., .., ..1], zImage, 1e-5);
        TensorAssert.Close(vae.Decode(zVideo)[.., .., ..1], vae.Decode(zImage), 1e-5);
    }

    [Theory]
    [InlineData("tiny", 1)]
    [InlineData("tiny", 2)]
    [InlineData("tiny", 3)]
    [InlineData("tiny-64x", 1)]
    public void Chunked_decode_equals_one_shot_decode(string preset, int chunk)
    {
        var c = Presets.Get(preset).Vae;
        using var vae = Build(c);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        manual_seed(9);
        var z = randn([1, c.LatentChannels, 6, 2, 3]);
        var whole = vae.Decode(z);
        var chunked = vae.DecodeChunked(z, chunk);
        Assert.Equal(new long[] { 1, 3, 21, 2 * c.SpatialDownsample, 3 * c.SpatialDownsample }, chunked.shape);
        TensorAssert.Close(whole, chunked, 1e-5);
    }

    [Fact]
    public void A_disposed_frame_cache_cannot_be_reused()
    {
        var c = TinyConfigs.Small.Vae;
        using var vae = Build(c);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        manual_seed(9);
        var z = randn([1, c.LatentChannels, 3, 2, 2]);
        var cache = new FrameCache();
        vae.Decode(z[.., .., ..1], cache);
        cache.Dispose();
        // Reuse would treat the next chunk as the first frame of a new video.
        Assert.Throws<ObjectDisposedException>(() => vae.Decode(z[.., .., 1..], cache));
        cache.Dispose(); // idempotent
    }

    [Fact]
    public void Chunked_decode_rejects_empty_latents_and_non_positive_chunks()
    {
        var c = TinyConfigs.Small.Vae;
        using var vae = Build(c);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var e = Assert.Throws<ConfigException>(() => vae.DecodeChunked(zeros([1, c.LatentChannels, 0, 2, 2]), 2));
        Assert.Equal("latent", e.Field);
        foreach (int chunk in new[] { 0, -1 })
        {
            e = Assert.Throws<ConfigException>(() => vae.DecodeChunked(zeros([1, c.LatentChannels, 2, 2, 2]), chunk));
            Assert.Equal("chunkFrames", e.Field);
        }
    }

    [Fact]
    public void Latent_scale_maps_vae_latents_to_diffusion_latents_and_back()
    {
        var c = TinyConfigs.Small with { Vae = TinyConfigs.Small.Vae with { LatentScale = 0.25 } };
        var tokenizer = Tokenizer.Build(["a red circle"], c.Text);
        manual_seed(3);
        using var model = new SeaweedModel(c.Validate(), tokenizer);
        model.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var video = Video(5, 32, 32);
        var mean = model.Vae.Encode(video).Mean;
        var z = model.EncodeVideo(video);
        TensorAssert.Close(mean * 0.25, z, 1e-6);
        TensorAssert.Close(mean, model.Vae.FromDiffusionLatent(model.Vae.ToDiffusionLatent(mean)), 1e-6);

        // Decoding a diffusion latent equals decoding the VAE latent it stands for, whole or chunked.
        var expected = model.Vae.Decode(mean);
        TensorAssert.Close(expected, model.DecodeVideo(z), 1e-5);
        TensorAssert.Close(expected, model.DecodeVideo(z, chunkFrames: 1), 1e-5);
        Assert.True(TensorAssert.MaxAbsDiff(expected, model.Vae.Decode(z)) > 1e-3, "the scale must matter for the test to mean anything");
    }
}
