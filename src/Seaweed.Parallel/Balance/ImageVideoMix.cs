namespace Seaweed.Parallel.Balance;

/// <summary>
/// Sequence lengths of a joint image+video global batch: images are one latent frame (<see cref="ImageTokens"/>
/// tokens), videos 2 to <see cref="MaxVideoFrames"/> latent frames of the same size, so the longest sample costs
/// hundreds of times the shortest under a quadratic cost. Drawn from a fixed seed.
/// </summary>
public sealed record ImageVideoMix(int ImageTokens = 256, int MaxVideoFrames = 16, double VideoFraction = 0.5)
{
    public long[] Lengths(int samples, int seed)
    {
        if (samples < 0) throw new ArgumentOutOfRangeException(nameof(samples), samples, "samples must be non-negative");
        if (ImageTokens < 1) throw new ArgumentException($"ImageTokens must be at least 1, not {ImageTokens}", nameof(ImageTokens));
        if (MaxVideoFrames < 2) throw new ArgumentException($"MaxVideoFrames must be at least 2, not {MaxVideoFrames}", nameof(MaxVideoFrames));
        if (VideoFraction is < 0 or > 1) throw new ArgumentException($"VideoFraction must be in [0, 1], not {VideoFraction}", nameof(VideoFraction));
        var random = new Random(seed);
        return Enumerable.Range(0, samples)
            .Select(_ => (long)ImageTokens * (random.NextDouble() < VideoFraction ? random.Next(2, MaxVideoFrames + 1) : 1))
            .ToArray();
    }
}
