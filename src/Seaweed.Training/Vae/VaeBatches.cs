using Seaweed.Data;
using Seaweed.Data.World;
using Seaweed.Training.Samples;
using static TorchSharp.torch;

namespace Seaweed.Training.Vae;

/// <summary>The shape every clip of one step has, and the stage it comes from.</summary>
public sealed record VaeBatchShape(int Stage, string StageName, Modality Modality, int Width, int Height, int Frames)
{
    public override string ToString() => $"{(Modality == Modality.Image ? "image" : "video")} {Frames}×{Width}x{Height}";
}

/// <summary>
/// The training clips of every step, from the synthetic world's train split. Step s's shape (image or video, which
/// of the stage's resolutions and frame counts, which of the world's aspect ratios) is drawn from (seed, s); its
/// clips are the next batch (the stage's, else the run's) of the image or the video stream, rendered natively at that shape (the world is
/// resolution-free, so no resampling blurs them). The data cursor, one position per stream, is all the state.
/// </summary>
public sealed class VaeBatches
{
    /// <summary>The world's smallest frame side.</summary>
    public const int MinSide = 32;

    private readonly VaeTrainingConfig config;
    private readonly long[] stageEnds;
    private readonly int unit;
    private readonly long imageSeed;
    private readonly long videoSeed;

    /// <summary>The world's aspect ratios (width, height), in the order of its default sizes.</summary>
    public static IReadOnlyList<(int Width, int Height)> Aspects { get; } = new WorldOptions().Sizes.Distinct().ToArray();

    public VaeBatches(VaeTrainingConfig config)
    {
        this.config = config;
        long end = 0;
        stageEnds = config.Stages.Select(s => end += s.Steps).ToArray();
        unit = config.ModelSource.Config.Vae.SpatialDownsample;
        imageSeed = Draws.Stream(config.Seed, "vae-images");
        videoSeed = Draws.Stream(config.Seed, "vae-videos");
    }

    public int StageAt(long step)
    {
        if (step < 0 || step >= config.Steps) throw new ArgumentOutOfRangeException(nameof(step), step, $"the run has steps 0..{config.Steps - 1}");
        int i = 0;
        while (stageEnds[i] <= step) i++;
        return i;
    }

    public VaeBatchShape ShapeAt(long step)
    {
        int index = StageAt(step);
        var stage = config.Stages[index];
        var rng = Draws.For(config.Seed, step, 0, "vae-shape");
        bool image = rng.NextDouble() < stage.EffectiveImageShare;
        var (aspectW, aspectH) = rng.Pick(Aspects);
        int resolution, frames;
        if (image) (resolution, frames) = (rng.Pick(stage.Images!.Resolutions), 1);
        else
        {
            var shape = rng.Pick(stage.Videos!);
            (resolution, frames) = (shape.Resolution, shape.Frames);
        }
        var (width, height) = Fit(aspectW, aspectH, resolution, unit);
        return new VaeBatchShape(index, stage.Name, image ? Modality.Image : Modality.Video, width, height, frames);
    }

    /// <summary>
    /// Area ≈ r² at the aspect ratio w : h, each side a multiple of <paramref name="unit"/> and at least
    /// <see cref="MinSide"/> (rounded up to the unit).
    /// </summary>
    public static (int Width, int Height) Fit(int aspectWidth, int aspectHeight, int resolution, int unit)
    {
        double aspect = (double)aspectWidth / aspectHeight;
        int least = (MinSide + unit - 1) / unit * unit;
        int Side(double pixels) => Math.Max(least, (int)Math.Round(pixels / unit, MidpointRounding.AwayFromZero) * unit);
        return (Side(resolution * Math.Sqrt(aspect)), Side(resolution / Math.Sqrt(aspect)));
    }

    /// <summary>Step <paramref name="step"/>'s clips at <paramref name="cursor"/>, as frames, and the cursor after them.</summary>
    public (VaeBatchShape Shape, IReadOnlyList<VideoFrames> Clips, DataCursor Next) Clips(long step, DataCursor cursor)
    {
        var shape = ShapeAt(step);
        bool image = shape.Modality == Modality.Image;
        var world = new WorldGenerator(new WorldOptions
        {
            Seed = image ? imageSeed : videoSeed,
            Sizes = [(shape.Width, shape.Height)],
            StillFraction = image ? 1 : 0,
            FrameCounts = [Math.Max(2, shape.Frames)],
        });
        long start = image ? cursor.Images : cursor.Videos;
        int batch = config.Stages[shape.Stage].Batch ?? config.Batch;
        var clips = world.Clips(start, batch).Select(c => c.Render()).ToArray();
        var next = image ? cursor.Advance(batch, 0) : cursor.Advance(0, batch);
        return (shape, clips, next);
    }

    /// <summary>Step <paramref name="step"/>'s clips as one tensor (batch, 3, T, H, W) in [−1, 1].</summary>
    public (VaeBatchShape Shape, Tensor Video, DataCursor Next) Take(long step, DataCursor cursor)
    {
        var (shape, clips, next) = Clips(step, cursor);
        using var scope = NewDisposeScope();
        var video = cat(clips.Select(c => PixelTensor.FromFrames(c)).ToList(), 0);
        return (shape, video.MoveToOuterDisposeScope(), next);
    }
}
