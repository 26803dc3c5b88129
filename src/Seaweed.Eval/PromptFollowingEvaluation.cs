using Seaweed.Data;
using Seaweed.Data.World;
using Seaweed.Model;
using Seaweed.Model.Pipeline;
using Seaweed.Training.Samples;

namespace Seaweed.Eval;

/// <summary>
/// What to generate: <paramref name="Count"/> prompts from one side of the world's held-out split, the first
/// <paramref name="ImageToVideo"/> of them a second time from their clip's first frame; Euler steps, guidance, and
/// the seed of the prompts' clips and of each video's noise (prompt i samples from seed + i).
/// </summary>
public sealed record PromptEvaluationOptions(WorldSplit Split, int Count, int ImageToVideo, int Steps, double Guidance, long Seed)
{
    public void Validate()
    {
        if (!Enum.IsDefined(Split)) throw new ArgumentOutOfRangeException(nameof(Split), Split, "not a world split");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Count, nameof(Count));
        if (ImageToVideo < 0 || ImageToVideo > Count)
            throw new ArgumentOutOfRangeException(nameof(ImageToVideo), ImageToVideo, $"must be from 0 to the {Count} prompts");
    }
}

/// <summary>
/// The figures of one evaluation: text to video against the prompts, the probe on the world's own renders of the
/// same clips (the ceiling any model can reach), and image to video.
/// </summary>
public sealed record PromptEvaluation(VideoSize Size, PromptFollowingAccuracy TextToVideo, PromptFollowingAccuracy Ceiling, ImageToVideoScore ImageToVideo);

/// <summary>
/// Prompt following of a model (Seaweed §6's text alignment and motion quality, measured instead of judged): each
/// prompt is the detailed caption of a world clip at the model's video size, the model generates a video from it,
/// and <see cref="Probe"/> reads colour, shape and motion back against the clip's content. For image to video the
/// clip's first frame is given too, and the generated first frame is compared with it.
/// </summary>
public static class PromptFollowingEvaluation
{
    /// <summary>
    /// <paramref name="count"/> moving clips of one split at <paramref name="size"/>: the held-out split's first object is
    /// always a held-out composition; the train split shows only seen ones.
    /// </summary>
    public static IReadOnlyList<WorldClip> Prompts(WorldSplit split, int count, VideoSize size, long seed)
    {
        ArgumentNullException.ThrowIfNull(size);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var world = new WorldGenerator(new WorldOptions
        {
            Seed = seed, Split = split, Sizes = [(size.Width, size.Height)], FrameCounts = [size.Frames], StillFraction = 0,
        });
        return world.Clips(0, count).ToArray();
    }

    /// <param name="progress">Reported after every generated video, with the number done so far.</param>
    public static PromptEvaluation Run(SeaweedModel model, PromptEvaluationOptions options, IProgress<int>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var size = model.Config.Video;
        var pipeline = new GenerationPipeline(model);
        var clips = Prompts(options.Split, options.Count, size, options.Seed);
        var renders = clips.Select(c => c.Render()).ToArray();
        int done = 0;

        var textToVideo = clips.Select((clip, i) =>
        {
            var video = Generate(pipeline, clip, renders[i], options, i, image: null, cancellationToken);
            progress?.Report(++done);
            return Probe.Score(video, clip.Content);
        }).ToArray();

        var imageToVideo = clips.Take(options.ImageToVideo).Select((clip, i) =>
        {
            var image = renders[i].Slice(0, 1);
            var video = Generate(pipeline, clip, renders[i], options, i, image, cancellationToken);
            progress?.Report(++done);
            return new ImageToVideoResult(ImageToVideoResult.FirstFrame(image, video), Probe.Score(video, clip.Content));
        }).ToArray();

        var ceiling = clips.Select((clip, i) => Probe.Score(renders[i], clip.Content));
        return new PromptEvaluation(size, PromptFollowingAccuracy.Of(textToVideo), PromptFollowingAccuracy.Of(ceiling), ImageToVideoScore.Of(imageToVideo));
    }

    private static VideoFrames Generate(GenerationPipeline pipeline, WorldClip clip, VideoFrames render, PromptEvaluationOptions o, int index,
        VideoFrames? image, CancellationToken cancellationToken)
    {
        var settings = new GenerationSettings(clip.Caption.Detailed, render.FrameCount, render.Height, render.Width, o.Steps, o.Guidance, o.Seed + index);
        using var given = image is null ? null : PixelTensor.FromFrames(image);
        var video = pipeline.Generate(settings, given, cancellationToken: cancellationToken);
        return new VideoFrames(video.Width, video.Height, video.Frames, render.Fps, video.Rgb24);
    }
}
