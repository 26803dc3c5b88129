using System.Diagnostics;
using Seaweed.Model.Tiling;
using static TorchSharp.torch;

namespace Seaweed.Model.Pipeline;

/// <summary>
/// Inference over a loaded <see cref="SeaweedModel"/>, kept apart from the model and the sampler: the prompt and the
/// empty prompt are encoded once (the pair classifier-free guidance needs), the initial noise comes from a generator
/// seeded by the request, <see cref="EulerSampler"/> integrates the flow on the resolution-dependent shift the model
/// was trained with, and the VAE decodes the latent a few frames at a time through its causal frame cache.
/// Text to video without a given clip; image to video with a 1-frame clip (latent frame 0 given, as in training);
/// continuation with a longer clip, whose last frames are encoded and given as the first latent frames.
/// </summary>
public sealed class GenerationPipeline
{
    public const int DefaultDecodeChunkFrames = 2;

    private readonly SeaweedModel model;
    private readonly int decodeChunkFrames;

    public GenerationPipeline(SeaweedModel model, GenerationLimits? limits = null, int decodeChunkFrames = DefaultDecodeChunkFrames)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (decodeChunkFrames <= 0) throw new ConfigException("decodeChunkFrames", $"{decodeChunkFrames} must be positive");
        this.model = model;
        this.decodeChunkFrames = decodeChunkFrames;
        Limits = limits ?? GenerationLimits.Default;
    }

    public GenerationLimits Limits { get; }
    public SeaweedConfig Config => model.Config;

    /// <summary>
    /// Latent frames a given clip of <paramref name="givenFrames"/> pixel frames conditions a video of
    /// <paramref name="latentFrames"/> latent frames on: an image gives its one frame; a clip as many as training
    /// gave continuations (<see cref="Conditioning.ContinuationFrames"/>), leaving at least one frame to generate.
    /// </summary>
    public static int GivenLatentFrames(int givenFrames, int latentFrames, int temporalDownsample) => givenFrames <= 1
        ? 1
        : Math.Max(1, Math.Min(Math.Min(Conditioning.ContinuationFrames, latentFrames - 1), 1 + (givenFrames - 1) / temporalDownsample));

    /// <summary>Checks <paramref name="settings"/> and <paramref name="given"/> as <see cref="Generate"/> does, without sampling.</summary>
    public void Check(GenerationSettings settings, Tensor? given = null)
    {
        Limits.Check(settings, Config);
        if (given is null) return;
        string field = given.dim() == 5 && given.shape[2] == 1 ? "image" : "video";
        if (given.dim() != 5 || given.shape[0] != 1 || given.shape[1] != 3 || given.shape[2] < 1)
            throw new ConfigException(field, $"expected pixels (1, 3, T, H, W), got [{string.Join(",", given.shape)}]");
        if (given.shape[3] != settings.Height || given.shape[4] != settings.Width)
            throw new ConfigException(field, $"is {given.shape[4]}x{given.shape[3]}; the video to generate is {settings.Width}x{settings.Height}");
    }

    /// <summary>Samples, then decodes through the VAE's causal frame cache: <see cref="Sample"/> then <see cref="Decode"/>.</summary>
    /// <param name="given">Null for text to video; otherwise pixels (1, 3, T, H, W) in [−1, 1] at the output size.</param>
    /// <param name="progress">Reported on the calling thread after every Euler step and every decoded chunk.</param>
    /// <param name="cancellationToken">Checked before every step and chunk.</param>
    public GeneratedVideo Generate(GenerationSettings settings, Tensor? given = null, IProgress<PipelineProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        using var latent = Sample(settings, given, progress, cancellationToken);
        return Decode(latent, progress, cancellationToken);
    }

    /// <summary>The denoised latent of <paramref name="settings"/>, not yet decoded (parameters as <see cref="Generate"/>'s).</summary>
    public SampledLatent Sample(GenerationSettings settings, Tensor? given = null, IProgress<PipelineProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        Check(settings, given);
        var watch = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var device = model.parameters().First().device;
        var (frames, height, width) = Config.LatentGrid(new VideoSize(settings.Frames, settings.Height, settings.Width));
        long channels = Config.Vae.LatentChannels;

        var prompt = model.Tokenizer.Encode(settings.Prompt);
        var (ids, mask) = TextEncoder.Batch([prompt, model.Tokenizer.Encode("")], device);
        var text = model.Text.Forward(ids, mask);
        var (conditionalText, emptyText) = (text[..1], text[1..]);
        var (conditionalMask, emptyMask) = (mask[..1], mask[1..]);
        double textSeconds = watch.Elapsed.TotalSeconds;

        int givenFrames = 0;
        Tensor condition, conditionMask;
        if (given is null)
        {
            condition = zeros([1, channels, frames, height, width], device: device);
            conditionMask = zeros([1, 1, frames, height, width], device: device);
        }
        else
        {
            int latentGiven = GivenLatentFrames((int)given.shape[2], frames, Config.Vae.TemporalDownsample);
            givenFrames = 1 + Config.Vae.TemporalDownsample * (latentGiven - 1);
            var tail = given.narrow(2, given.shape[2] - givenFrames, givenFrames).to(device);
            (condition, conditionMask) = Conditioning.FromGiven(model.EncodeVideo(tail), frames);
        }

        using var generator = new Generator(unchecked((ulong)settings.Seed));
        var noise = randn([1, channels, frames, height, width], generator: generator).to(device);
        var p = Config.Dit.Patch;
        double shift = FlowMatching.Shift(Config.Flow, (long)(frames / p[0]) * (height / p[1]) * (width / p[2]));
        VelocityModel velocity = (x, t, conditional) => model.Dit.Forward(new DitInput(x, condition, conditionMask, t,
            conditional ? conditionalText : emptyText, conditional ? conditionalMask : emptyMask));
        var latent = EulerSampler.Sample(velocity, noise, settings.Steps, settings.Guidance, shift,
            new StageProgress(progress, PipelineStage.Denoising, settings.Steps), cancellationToken);
        var z = model.Vae.FromDiffusionLatent(latent).DetachFromDisposeScope();
        return new SampledLatent(z, settings, givenFrames, prompt.UnknownWords, prompt.Truncated, textSeconds, watch.Elapsed.TotalSeconds - textSeconds);
    }

    /// <summary>
    /// <see cref="CausalVae.DecodeChunked"/>: the first latent frame alone, then <c>decodeChunkFrames</c> at a time,
    /// carrying the causal cache — the same video as a whole decode, with memory bounded by the chunk and a progress
    /// report per chunk.
    /// </summary>
    public GeneratedVideo Decode(SampledLatent latent, IProgress<PipelineProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(latent);
        var watch = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        int chunks = FrameChunks.Streaming((int)latent.Latent.shape[2], decodeChunkFrames).Count;
        var video = model.Vae.DecodeChunked(latent.Latent, decodeChunkFrames, new StageProgress(progress, PipelineStage.Decoding, chunks), cancellationToken);
        return latent.Video(video, watch.Elapsed.TotalSeconds);
    }

    /// <summary>Reports synchronously (<see cref="Progress{T}"/> would post to a context the worker thread has not got).</summary>
    private sealed class StageProgress(IProgress<PipelineProgress>? target, PipelineStage stage, int total) : IProgress<int>
    {
        public void Report(int value) => target?.Report(new PipelineProgress(stage, value, total));
    }
}
