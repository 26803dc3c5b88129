using System.Text.Json;
using System.Text.Json.Serialization;
using Seaweed.Kernels;

namespace Seaweed.Model;

/// <summary>Raised for a configuration or input that the model cannot use; <see cref="Field"/> names the culprit.</summary>
public sealed class ConfigException : ArgumentException
{
    public ConfigException(string field, string reason) : base(reason, field)
    {
        Field = field;
        Reason = reason;
    }

    public string Field { get; }
    public string Reason { get; }

    /// <summary>"field: reason", without ArgumentException's parameter suffix.</summary>
    public override string Message => $"{Field}: {Reason}";
}

/// <summary>Causal video VAE. Compression r = latentChannels / (3 · temporal · spatial²).</summary>
public sealed record VaeConfig
{
    /// <summary>Spatial downsampling factor (8 or 16): one ×2 stage per level transition.</summary>
    public int SpatialDownsample { get; init; } = 8;
    /// <summary>Temporal downsampling factor; the first frame is always encoded alone.</summary>
    public int TemporalDownsample { get; init; } = 4;
    public int LatentChannels { get; init; } = 16;
    /// <summary>Channel width per level, finest first; length = log2(spatial) + 1.</summary>
    public int[] Channels { get; init; } = [32, 64, 128, 128];
    public int ResBlocksPerLevel { get; init; } = 1;
    public int NormGroups { get; init; } = 8;
    /// <summary>VAE latents × this are what the DiT models (unit variance); applied by CausalVae.ToDiffusionLatent and undone by FromDiffusionLatent.</summary>
    public double LatentScale { get; init; } = 1.0;

    public int Levels => Channels.Length;

    internal void Validate(string path)
    {
        Check.Positive($"{path}.spatialDownsample", SpatialDownsample);
        Check.Positive($"{path}.temporalDownsample", TemporalDownsample);
        Check.PowerOfTwo($"{path}.spatialDownsample", SpatialDownsample);
        Check.PowerOfTwo($"{path}.temporalDownsample", TemporalDownsample);
        Check.Positive($"{path}.latentChannels", LatentChannels);
        Check.Positive($"{path}.resBlocksPerLevel", ResBlocksPerLevel);
        Check.Positive($"{path}.normGroups", NormGroups);
        Check.Finite($"{path}.latentScale", LatentScale, mustBePositive: true);
        if (Channels is null || Channels.Length == 0) throw new ConfigException($"{path}.channels", "must list at least one level");
        int stages = Channels.Length - 1;
        if (1 << stages != SpatialDownsample)
            throw new ConfigException($"{path}.channels", $"{Channels.Length} levels give spatial ×{1 << stages}, but spatialDownsample is {SpatialDownsample}");
        if (TemporalDownsample > SpatialDownsample)
            throw new ConfigException($"{path}.temporalDownsample", $"{TemporalDownsample} needs more level transitions than the {stages} available");
        for (int i = 0; i < Channels.Length; i++)
        {
            Check.Positive($"{path}.channels[{i}]", Channels[i]);
            if (Channels[i] % NormGroups != 0)
                throw new ConfigException($"{path}.channels[{i}]", $"{Channels[i]} is not divisible by normGroups {NormGroups}");
        }
    }
}

/// <summary>Hybrid-stream MM-DiT.</summary>
public sealed record DitConfig
{
    public int Hidden { get; init; } = 256;
    public int Layers { get; init; } = 8;
    /// <summary>The first <see cref="DualStreamLayers"/> layers keep separate text and video weights; deeper ones share.</summary>
    public int DualStreamLayers { get; init; } = 3;
    public int Heads { get; init; } = 4;
    /// <summary>SwiGLU hidden = round_up(8·hidden/3, mlpMultiple).</summary>
    public int MlpMultiple { get; init; } = 64;
    /// <summary>Patch size (t, h, w) over the latent.</summary>
    public int[] Patch { get; init; } = [1, 2, 2];
    /// <summary>"full" or "window" (alternating 1×2×2 / 4×1×1 window counts per axis).</summary>
    public string Attention { get; init; } = "full";
    public double RopeTheta { get; init; } = 10000;
    public double NormEps { get; init; } = 1e-6;
    public int TimestepFrequencyDim { get; init; } = 256;
    /// <summary>
    /// "reference", "fused" or "auto" (the default, also when absent): which implementation of the memory-bound
    /// operators runs. A runtime choice, not part of the weights: written to config.json only when set.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Kernels { get; init; }

    [JsonIgnore]
    public KernelMode KernelMode => ParseKernels("dit.kernels");

    private KernelMode ParseKernels(string field) => Kernels switch
    {
        null or "auto" => KernelMode.Auto,
        "fused" => KernelMode.Fused,
        "reference" => KernelMode.Reference,
        _ => throw new ConfigException(field, $"'{Kernels}' is not one of: reference, fused, auto"),
    };

    public int HeadDim => Hidden / Heads;
    public int MlpHidden => RoundUp(8 * Hidden / 3.0, MlpMultiple);

    internal static int RoundUp(double x, int multiple) => (int)Math.Ceiling(x / multiple) * multiple;

    internal void Validate(string path)
    {
        Check.Positive($"{path}.hidden", Hidden);
        Check.Positive($"{path}.layers", Layers);
        Check.Positive($"{path}.heads", Heads);
        Check.Positive($"{path}.mlpMultiple", MlpMultiple);
        Check.Positive($"{path}.timestepFrequencyDim", TimestepFrequencyDim);
        if (TimestepFrequencyDim % 2 != 0) throw new ConfigException($"{path}.timestepFrequencyDim", "must be even");
        if (DualStreamLayers < 0 || DualStreamLayers > Layers)
            throw new ConfigException($"{path}.dualStreamLayers", $"{DualStreamLayers} must be between 0 and layers ({Layers})");
        if (Hidden % Heads != 0)
            throw new ConfigException($"{path}.heads", $"{Heads} heads do not divide hidden {Hidden}");
        if (HeadDim % 2 != 0 || HeadDim < 6)
            throw new ConfigException($"{path}.heads", $"head dimension {HeadDim} must be even and at least 6 for 3-axis RoPE");
        if (Patch is null || Patch.Length != 3) throw new ConfigException($"{path}.patch", "must have three entries (t, h, w)");
        for (int i = 0; i < 3; i++) Check.Positive($"{path}.patch[{i}]", Patch[i]);
        if (Attention is not ("full" or "window"))
            throw new ConfigException($"{path}.attention", $"'{Attention}' is not one of: full, window");
        Check.Finite($"{path}.ropeTheta", RopeTheta, mustBePositive: true);
        Check.Finite($"{path}.normEps", NormEps, mustBePositive: true);
        ParseKernels($"{path}.kernels");
    }
}

/// <summary>Small bidirectional transformer over the project's own word tokenizer.</summary>
public sealed record TextEncoderConfig
{
    /// <summary>Known words (including the special tokens) plus <see cref="UnknownBuckets"/>.</summary>
    public int VocabSize { get; init; } = 512;
    /// <summary>Words outside the vocabulary hash into this many buckets instead of failing.</summary>
    public int UnknownBuckets { get; init; } = 32;
    public int MaxTokens { get; init; } = 32;
    public int Hidden { get; init; } = 128;
    public int Layers { get; init; } = 2;
    public int Heads { get; init; } = 4;
    public int MlpMultiple { get; init; } = 64;
    public double NormEps { get; init; } = 1e-6;

    public int MlpHidden => DitConfig.RoundUp(8 * Hidden / 3.0, MlpMultiple);

    internal void Validate(string path)
    {
        if (MaxTokens < 2) throw new ConfigException($"{path}.maxTokens", $"{MaxTokens} leaves no room between <bos> and <eos>");
        Check.Positive($"{path}.hidden", Hidden);
        Check.Positive($"{path}.layers", Layers);
        Check.Positive($"{path}.heads", Heads);
        Check.Positive($"{path}.mlpMultiple", MlpMultiple);
        Check.Positive($"{path}.unknownBuckets", UnknownBuckets);
        if (VocabSize < Tokenizer.SpecialTokens.Length + UnknownBuckets)
            throw new ConfigException($"{path}.vocabSize", $"{VocabSize} leaves no room for words after {Tokenizer.SpecialTokens.Length} special tokens and {UnknownBuckets} unknown buckets");
        if (Hidden % Heads != 0)
            throw new ConfigException($"{path}.heads", $"{Heads} heads do not divide hidden {Hidden}");
        Check.Finite($"{path}.normEps", NormEps, mustBePositive: true);
    }
}

/// <summary>Flow-matching training and sampling settings.</summary>
public sealed record FlowConfig
{
    /// <summary>Logit-normal timestep distribution: t = sigmoid(N(mean, std)).</summary>
    public double LogitMean { get; init; }
    public double LogitStd { get; init; } = 1.0;
    /// <summary>Resolution-dependent shift: linear in latent token count from (minTokens, minShift) to (maxTokens, maxShift).</summary>
    public int ShiftMinTokens { get; init; } = 16;
    public int ShiftMaxTokens { get; init; } = 80;
    public double ShiftMin { get; init; } = 1.0;
    public double ShiftMax { get; init; } = 3.0;
    public int SamplingSteps { get; init; } = 25;
    public double Guidance { get; init; } = 5.0;

    internal void Validate(string path)
    {
        Check.Finite($"{path}.logitMean", LogitMean, mustBePositive: false);
        Check.Finite($"{path}.logitStd", LogitStd, mustBePositive: true);
        Check.Positive($"{path}.shiftMinTokens", ShiftMinTokens);
        if (ShiftMaxTokens <= ShiftMinTokens)
            throw new ConfigException($"{path}.shiftMaxTokens", $"{ShiftMaxTokens} must exceed shiftMinTokens {ShiftMinTokens}");
        Check.Finite($"{path}.shiftMin", ShiftMin, mustBePositive: true);
        Check.Finite($"{path}.shiftMax", ShiftMax, mustBePositive: true);
        Check.Positive($"{path}.samplingSteps", SamplingSteps);
        Check.Finite($"{path}.guidance", Guidance, mustBePositive: false);
        if (Guidance < 0) throw new ConfigException($"{path}.guidance", $"{Guidance} must not be negative");
    }
}

/// <summary>The native video size a model is trained for.</summary>
public sealed record VideoSize(int Frames, int Height, int Width)
{
    public override string ToString() => $"{Frames}×{Height}×{Width}";
}

/// <summary>One model: VAE + DiT + text encoder + objective, as stored in <c>config.json</c>.</summary>
public sealed record SeaweedConfig
{
    public string Name { get; init; } = "custom";
    public VideoSize Video { get; init; } = new(17, 64, 64);
    public VaeConfig Vae { get; init; } = new();
    public DitConfig Dit { get; init; } = new();
    public TextEncoderConfig Text { get; init; } = new();
    public FlowConfig Flow { get; init; } = new();

    /// <summary>Channels into the DiT patch embedding: noisy latent, condition latent, condition mask.</summary>
    public int DitInputChannels => 2 * Vae.LatentChannels + 1;

    /// <summary>Throws <see cref="ConfigException"/> naming the first field that is out of range.</summary>
    public SeaweedConfig Validate()
    {
        if (Vae is null) throw new ConfigException("vae", "is missing");
        if (Dit is null) throw new ConfigException("dit", "is missing");
        if (Text is null) throw new ConfigException("text", "is missing");
        if (Flow is null) throw new ConfigException("flow", "is missing");
        if (Video is null) throw new ConfigException("video", "is missing");
        Vae.Validate("vae");
        Dit.Validate("dit");
        Text.Validate("text");
        Flow.Validate("flow");
        LatentGrid(Video, "video");
        return this;
    }

    /// <summary>Latent shape (frames, height, width) of a pixel video, checked against the VAE and the DiT patch.</summary>
    public (int Frames, int Height, int Width) LatentGrid(VideoSize size, string field = "size")
    {
        Check.Positive($"{field}.frames", size.Frames);
        Check.Positive($"{field}.height", size.Height);
        Check.Positive($"{field}.width", size.Width);
        int dt = Vae.TemporalDownsample, ds = Vae.SpatialDownsample;
        if ((size.Frames - 1) % dt != 0)
            throw new ConfigException($"{field}.frames", $"{size.Frames} frames is not 1 + {dt}·k");
        if (size.Height % ds != 0) throw new ConfigException($"{field}.height", $"{size.Height} is not a multiple of the VAE's spatial factor {ds}");
        if (size.Width % ds != 0) throw new ConfigException($"{field}.width", $"{size.Width} is not a multiple of the VAE's spatial factor {ds}");
        var grid = (1 + (size.Frames - 1) / dt, size.Height / ds, size.Width / ds);
        string[] axes = ["frames", "height", "width"];
        int[] latent = [grid.Item1, grid.Item2, grid.Item3];
        for (int i = 0; i < 3; i++)
            if (latent[i] % Dit.Patch[i] != 0)
                throw new ConfigException($"{field}.{axes[i]}", $"latent {axes[i]} {latent[i]} is not divisible by dit.patch[{i}] = {Dit.Patch[i]}");
        return grid;
    }

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static SeaweedConfig FromJson(string json) => ConfigJson.Read<SeaweedConfig>(json, Json).Validate();
}

internal static class Check
{
    public static void Positive(string field, int value)
    {
        if (value <= 0) throw new ConfigException(field, $"{value} must be positive");
    }

    public static void PowerOfTwo(string field, int value)
    {
        if ((value & (value - 1)) != 0) throw new ConfigException(field, $"{value} must be a power of two");
    }

    public static void Finite(string field, double value, bool mustBePositive)
    {
        if (!double.IsFinite(value)) throw new ConfigException(field, $"{value} is not a finite number");
        if (mustBePositive && value <= 0) throw new ConfigException(field, $"{value} must be positive");
    }
}
