using Seaweed.Model;
using static TorchSharp.torch;

namespace Seaweed.Parallel.Balance;

/// <summary>Which time a profiled step reports.</summary>
public enum StepClock
{
    /// <summary>Elapsed time: what a dedicated machine's step takes.</summary>
    Wall,

    /// <summary>
    /// CPU time of this process: on a machine shared with other work, a single-threaded step's CPU time stays what the
    /// step costs, while its wall time also counts the time other processes held the cores.
    /// </summary>
    ProcessCpu,
}

/// <summary>
/// Times one sample's DiT forward + backward by its number of latent frames at the configuration's latent
/// height × width: the measurements behind Seaweed's offline seqlen → runtime table (<see cref="LookupCostModel"/>).
/// </summary>
public sealed class DitRuntimeProfiler : IDisposable
{
    private readonly HybridStreamDiT dit;
    private readonly int height, width, seed;
    private readonly StepClock clock;

    public DitRuntimeProfiler(SeaweedConfig config, int seed = 0, StepClock clock = StepClock.Wall)
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        this.clock = clock;
        (_, height, width) = config.LatentGrid(config.Video, "video");
        this.seed = seed;
        // Under the one seeding lock: a rank profiling while another builds its model would otherwise reseed the
        // process-wide generator under it.
        dit = SeededInit.Create(seed, () => new HybridStreamDiT(config));
    }

    public SeaweedConfig Config { get; }

    /// <summary>Video tokens per latent frame (after patching).</summary>
    public long TokensPerFrame => (long)(height / Config.Dit.Patch[1]) * (width / Config.Dit.Patch[2]);

    public long Tokens(int latentFrames) => latentFrames / Config.Dit.Patch[0] * TokensPerFrame;

    /// <summary>The latent frames of a sample of <paramref name="tokens"/> video tokens.</summary>
    public int Frames(long tokens)
    {
        long frames = tokens / TokensPerFrame * Config.Dit.Patch[0];
        if (frames < 1 || Tokens((int)frames) != tokens)
            throw new ArgumentException($"{tokens} tokens is not a whole number of {TokensPerFrame}-token frames", nameof(tokens));
        return (int)frames;
    }

    /// <summary>Seconds of one forward + backward of a single sample with <paramref name="latentFrames"/> latent frames.</summary>
    public double Step(int latentFrames)
    {
        if (latentFrames < 1 || latentFrames % Config.Dit.Patch[0] != 0)
            throw new ArgumentOutOfRangeException(nameof(latentFrames), latentFrames, $"latentFrames must be a positive multiple of the patch's {Config.Dit.Patch[0]}");
        using var scope = NewDisposeScope();
        using var g = new Generator((ulong)(seed + latentFrames));
        long[] shape = [1, Config.Vae.LatentChannels, latentFrames, height, width];
        var latent = randn(shape, generator: g);
        var noise = randn(shape, generator: g);
        var input = new DitInput(latent, zeros(shape), zeros([1, 1, latentFrames, height, width]), rand(1, generator: g),
            randn([1, Config.Text.MaxTokens, Config.Text.Hidden], generator: g), ones(1, Config.Text.MaxTokens, dtype: ScalarType.Bool));
        dit.zero_grad();
        var start = Now();
        Objectives.Dit(dit, latent, noise, input.Time, input).backward();
        return (Now() - start).TotalSeconds;
    }

    private TimeSpan Now() => clock == StepClock.Wall ? ProcessClock.Wall : ProcessClock.Cpu;

    /// <summary>
    /// The table: after a warm-up pass over all lengths, <paramref name="repeats"/> more passes, keeping each length's
    /// fastest step. Passes rather than back-to-back repeats, so a burst of other work on the machine slows one
    /// pass of every length instead of all repeats of a few; the fastest, because interference only adds time.
    /// </summary>
    public IReadOnlyList<(long Tokens, double Seconds)> Profile(IReadOnlyList<int> latentFrames, int repeats, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(latentFrames);
        if (repeats < 1) throw new ArgumentOutOfRangeException(nameof(repeats), repeats, "repeats must be at least 1");
        var fastest = latentFrames.Select(_ => double.MaxValue).ToArray();
        for (int pass = 0; pass <= repeats; pass++)
        {
            for (int i = 0; i < latentFrames.Count; i++)
            {
                double seconds = Step(latentFrames[i]);
                if (pass > 0) fastest[i] = Math.Min(fastest[i], seconds);
            }
            progress?.Report(pass + 1);
        }
        return latentFrames.Select((f, i) => (Tokens(f), fastest[i])).ToArray();
    }

    public void Dispose() => dit.Dispose();
}
