using Seaweed.Model;

namespace Seaweed.Training;

/// <summary>
/// Shares of the generation tasks among video samples (Seaweed pre-trains with ≈20% image-to-video). Images and
/// clips of a single latent frame are always text-to-video: nothing of them could be given.
/// </summary>
public sealed record TaskMix
{
    public double T2v { get; init; } = 0.7;
    public double I2v { get; init; } = 0.2;
    public double V2v { get; init; } = 0.1;

    /// <summary>The task whose cumulative share first exceeds <paramref name="u"/> ∈ [0, 1).</summary>
    public GenerationTask Pick(double u) =>
        u < T2v ? GenerationTask.TextToVideo : u < T2v + I2v ? GenerationTask.ImageToVideo : GenerationTask.VideoToVideo;

    internal void Validate(string path)
    {
        Require.InRange($"{path}.t2v", T2v, 0, 1);
        Require.InRange($"{path}.i2v", I2v, 0, 1);
        Require.InRange($"{path}.v2v", V2v, 0, 1);
        Require.SumToOne(path, [T2v, I2v, V2v]);
    }
}
