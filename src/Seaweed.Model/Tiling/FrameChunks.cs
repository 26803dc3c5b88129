namespace Seaweed.Model.Tiling;

/// <summary>
/// Temporal chunks of a latent video, decoded one after another through the causal frame cache: 0 = b₀ &lt; b₁ &lt; … =
/// frames. Latent frame 0 decodes to one pixel frame and every later one to <c>temporalDownsample</c>, so a chunk's
/// pixel frames follow from its latent frames.
/// </summary>
public sealed class FrameChunks
{
    private readonly int[] bounds;

    private FrameChunks(int[] bounds) => this.bounds = bounds;

    public IReadOnlyList<int> Bounds => bounds;
    public int Count => bounds.Length - 1;
    public int Frames => bounds[^1];

    /// <summary>All frames in one chunk.</summary>
    public static FrameChunks Whole(int frames) => FromBounds([0, frames]);

    /// <summary>The first frame alone, then <paramref name="chunkFrames"/> at a time: <see cref="CausalVae.DecodeChunked"/>'s order.</summary>
    public static FrameChunks Streaming(int frames, int chunkFrames)
    {
        if (frames < 1) throw new ConfigException(nameof(frames), $"{frames} must be at least 1");
        if (chunkFrames < 1) throw new ConfigException(nameof(chunkFrames), $"{chunkFrames} must be at least 1");
        var bounds = new List<int> { 0 };
        for (int end = 1; ; end = Math.Min(frames, end + chunkFrames))
        {
            bounds.Add(end);
            if (end == frames) break;
        }
        return new FrameChunks([.. bounds]);
    }

    public static FrameChunks FromBounds(IReadOnlyList<int> bounds)
    {
        if (bounds is null || bounds.Count < 2) throw new ConfigException(nameof(bounds), "needs a start and an end");
        if (bounds[0] != 0) throw new ConfigException("bounds[0]", $"{bounds[0]}: the first chunk starts at frame 0");
        for (int i = 1; i < bounds.Count; i++)
            if (bounds[i] <= bounds[i - 1])
                throw new ConfigException($"bounds[{i}]", $"{bounds[i]} does not come after {bounds[i - 1]}: chunks hold at least one frame");
        return new FrameChunks([.. bounds]);
    }

    /// <summary>Chunk <paramref name="chunk"/>'s latent frames [Start, End).</summary>
    public (int Start, int End) Latent(int chunk)
    {
        if ((uint)chunk >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(chunk), chunk, $"chunk must be in [0, {Count})");
        return (bounds[chunk], bounds[chunk + 1]);
    }

    /// <summary>The pixel frames [Start, Start + Count) that chunk <paramref name="chunk"/> decodes to.</summary>
    public (int Start, int Count) Pixels(int chunk, int temporalDownsample)
    {
        var (start, end) = Latent(chunk);
        int PixelStart(int latent) => latent == 0 ? 0 : 1 + temporalDownsample * (latent - 1);
        return (PixelStart(start), PixelStart(end) - PixelStart(start));
    }

    /// <summary>Throws <see cref="ConfigException"/> unless the chunks cover exactly <paramref name="frames"/> latent frames.</summary>
    public void CheckCovers(int frames, string field = "latent.frames")
    {
        if (frames != Frames) throw new ConfigException(field, $"the latent has {frames} frames, the chunks cover {Frames}");
    }
}
