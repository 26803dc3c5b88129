using Seaweed.Model.Tiling;

namespace Seaweed.Model.Tests.Tiling;

public class FrameChunksTests
{
    [Fact]
    public void Streaming_takes_the_first_frame_alone_then_chunks_of_the_given_size()
    {
        var chunks = FrameChunks.Streaming(6, 2);
        Assert.Equal([0, 1, 3, 5, 6], chunks.Bounds);
        Assert.Equal((3, 5), chunks.Latent(2));
        // Latent frame 0 → 1 pixel frame, each later one → 4: 1 + 8 + 8 + 4 = 21 frames.
        Assert.Equal([(0, 1), (1, 8), (9, 8), (17, 4)], Enumerable.Range(0, chunks.Count).Select(c => chunks.Pixels(c, 4)));
        Assert.Equal([0, 1], FrameChunks.Streaming(1, 3).Bounds);
    }

    [Fact]
    public void Whole_and_explicit_bounds_give_the_same_pixel_frames()
    {
        Assert.Equal((0, 21), FrameChunks.Whole(6).Pixels(0, 4));
        var chunks = FrameChunks.FromBounds([0, 2, 6]);
        Assert.Equal([(0, 5), (5, 16)], new[] { chunks.Pixels(0, 4), chunks.Pixels(1, 4) });
    }

    [Fact]
    public void Bad_chunks_are_rejected_by_field()
    {
        Assert.Equal("chunkFrames", Assert.Throws<ConfigException>(() => FrameChunks.Streaming(4, 0)).Field);
        Assert.Equal("frames", Assert.Throws<ConfigException>(() => FrameChunks.Streaming(0, 1)).Field);
        Assert.Equal("bounds", Assert.Throws<ConfigException>(() => FrameChunks.FromBounds([0])).Field);
        Assert.Equal("bounds[0]", Assert.Throws<ConfigException>(() => FrameChunks.FromBounds([1, 3])).Field);
        Assert.Equal("bounds[2]", Assert.Throws<ConfigException>(() => FrameChunks.FromBounds([0, 2, 2])).Field);
        Assert.Equal("latent.frames", Assert.Throws<ConfigException>(() => FrameChunks.Whole(3).CheckCovers(4)).Field);
    }
}
