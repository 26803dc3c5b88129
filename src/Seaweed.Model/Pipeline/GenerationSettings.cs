namespace Seaweed.Model.Pipeline;

/// <summary>
/// One video to sample: the caption the text encoder reads, the pixel grid (frames × height × width), the Euler steps,
/// the classifier-free guidance scale and the seed of the initial noise (the same settings give the same video).
/// </summary>
public sealed record GenerationSettings(string Prompt, int Frames, int Height, int Width, int Steps, double Guidance, long Seed);

/// <summary>What one request may ask for, whatever the model could take: bounds on cost, not on the model's grid.</summary>
public sealed record GenerationLimits
{
    public static GenerationLimits Default { get; } = new();

    public int MaxPromptChars { get; init; } = 1000;
    public int MaxSteps { get; init; } = 200;
    /// <summary>The paper's longest single shot: 5 s at 24 fps.</summary>
    public int MaxFrames { get; init; } = 121;
    public int MaxSide { get; init; } = 1280;

    /// <summary>
    /// Throws <see cref="ConfigException"/> naming the first field of <paramref name="s"/> that is out of range or off
    /// the model's grid: frames on the causal grid (1 + temporal·k), width and height multiples of the VAE's spatial
    /// factor times the DiT patch, so every latent token is whole.
    /// </summary>
    public void Check(GenerationSettings s, SeaweedConfig model)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(model);
        CheckPrompt(s.Prompt);
        int dt = model.Vae.TemporalDownsample;
        if (s.Frames <= 0 || s.Frames > MaxFrames) throw new ConfigException("frames", $"{s.Frames} must be from 1 to {MaxFrames}");
        if ((s.Frames - 1) % dt != 0)
            throw new ConfigException("frames", $"{s.Frames} is not on the model's grid of 1 + {dt}·k frames (e.g. {1 + dt * Math.Max(1, (s.Frames - 1) / dt)})");
        int latentFrames = 1 + (s.Frames - 1) / dt;
        if (latentFrames % model.Dit.Patch[0] != 0)
            throw new ConfigException("frames", $"{s.Frames} frames give {latentFrames} latent frames, not a multiple of the DiT's temporal patch {model.Dit.Patch[0]}");
        CheckSide("height", s.Height, model.Vae.SpatialDownsample * model.Dit.Patch[1]);
        CheckSide("width", s.Width, model.Vae.SpatialDownsample * model.Dit.Patch[2]);
        if (s.Steps < 1 || s.Steps > MaxSteps) throw new ConfigException("steps", $"{s.Steps} must be from 1 to {MaxSteps}");
        if (!double.IsFinite(s.Guidance) || s.Guidance < 0) throw new ConfigException("guidance", $"{s.Guidance} must be a finite number ≥ 0");
    }

    /// <summary>A prompt is some text, and at most <see cref="MaxPromptChars"/> characters of it.</summary>
    public void CheckPrompt(string? prompt)
    {
        if (string.IsNullOrWhiteSpace(prompt)) throw new ConfigException("prompt", "is empty");
        if (prompt.Length > MaxPromptChars) throw new ConfigException("prompt", $"has {prompt.Length} characters; at most {MaxPromptChars} are allowed");
    }

    private void CheckSide(string field, int value, int multiple)
    {
        if (value <= 0 || value > MaxSide) throw new ConfigException(field, $"{value} must be from {multiple} to {MaxSide}");
        if (value % multiple != 0)
            throw new ConfigException(field, $"{value} is not a multiple of {multiple} (the VAE's spatial factor times the DiT patch), e.g. {Math.Max(multiple, value / multiple * multiple)}");
    }
}
