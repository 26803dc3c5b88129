using Seaweed.Data;
using Seaweed.Data.World;

namespace Seaweed.Training.Samples;

/// <summary>
/// The synthetic world, generated on the fly. Images are stills (their captions describe no motion); videos are
/// moving clips of <c>videoFrames</c> frames. The two streams have seeds of their own, so image i and video i are
/// unrelated clips.
/// </summary>
public sealed class WorldSampleSource : ISampleSource
{
    /// <summary>Clips read for the tokenizer's vocabulary: enough to meet every word of the caption grammar.</summary>
    public const int CorpusClips = 2048;

    private readonly WorldGenerator images;
    private readonly WorldGenerator videos;

    public WorldSampleSource(long seed, int videoFrames)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(videoFrames, 2);
        images = new WorldGenerator(new WorldOptions { Seed = Draws.Stream(seed, "world-images"), StillFraction = 1 });
        videos = new WorldGenerator(new WorldOptions { Seed = Draws.Stream(seed, "world-videos"), StillFraction = 0, FrameCounts = [videoFrames] });
    }

    public string Name => "world";

    public SourceClip Describe(Modality modality, long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var clip = Generator(modality).Clip(index);
        var scene = clip.Scene;
        return new SourceClip(modality, index, scene.Width, scene.Height, scene.FrameCount, clip.Caption.Detailed, clip.Caption.Short);
    }

    public Task<VideoFrames> ReadAsync(SourceClip clip, CancellationToken cancellationToken = default) =>
        Task.FromResult(Generator(clip.Modality).Clip(clip.Index).Render());

    public IEnumerable<string> Corpus() =>
        new[] { images, videos }.SelectMany(g => g.Clips(0, CorpusClips)).SelectMany(c => new[] { c.Caption.Detailed, c.Caption.Short });

    private WorldGenerator Generator(Modality modality) => modality == Modality.Image ? images : videos;
}
