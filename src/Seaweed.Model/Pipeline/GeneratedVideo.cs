namespace Seaweed.Model.Pipeline;

public enum PipelineStage { Denoising, Decoding }

/// <summary><paramref name="Done"/> of <paramref name="Total"/> units of a stage: Euler steps, or latent chunks decoded.</summary>
public readonly record struct PipelineProgress(PipelineStage Stage, int Done, int Total);

/// <summary>Seconds spent encoding the prompt, denoising and decoding.</summary>
public sealed record PipelineTimings(double Text, double Denoise, double Decode);

/// <summary>
/// A sampled video as packed RGB24 (frame-major, row-major, R G B: T×H×W×3 bytes). <paramref name="GivenFrames"/> is
/// how many leading frames were conditioned on (the image, or the tail of the continued video); the model's
/// <paramref name="UnknownWords"/> and whether the prompt was <paramref name="Truncated"/> to its token budget.
/// </summary>
public sealed record GeneratedVideo(
    byte[] Rgb24,
    int Frames,
    int Height,
    int Width,
    int GivenFrames,
    IReadOnlyList<string> UnknownWords,
    bool Truncated,
    PipelineTimings Timings);
