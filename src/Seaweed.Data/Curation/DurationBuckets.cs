namespace Seaweed.Data.Curation;

/// <summary>
/// Frame counts clips are trained at. Each is 4k+1 because the causal VAE keeps the first frame and compresses
/// every following 4 into one latent frame; 1 is the image bucket. A clip is cut to the longest bucket it fills.
/// </summary>
public sealed class DurationBuckets
{
    public static DurationBuckets Default { get; } = new([1, 9, 17, 33]);

    public DurationBuckets(IReadOnlyList<int> frameCounts)
    {
        ArgumentNullException.ThrowIfNull(frameCounts);
        if (frameCounts.Count == 0) throw new ArgumentException("at least one bucket is required", nameof(frameCounts));
        for (int i = 0; i < frameCounts.Count; i++)
        {
            if (frameCounts[i] <= 0 || frameCounts[i] % 4 != 1)
                throw new ArgumentException($"bucket {frameCounts[i]} is not of the form 4k+1", nameof(frameCounts));
            if (i > 0 && frameCounts[i] <= frameCounts[i - 1])
                throw new ArgumentException("buckets must be strictly increasing", nameof(frameCounts));
        }
        FrameCounts = frameCounts.ToArray();
    }

    public IReadOnlyList<int> FrameCounts { get; }

    /// <summary>1 for an image (when there is an image bucket); for a video the largest video bucket not longer
    /// than it, or null when it is shorter than every video bucket (a short video is not turned into an image).</summary>
    public int? Assign(int frames)
    {
        if (frames <= 0) throw new ArgumentOutOfRangeException(nameof(frames), frames, "frames must be positive");
        if (frames == 1) return FrameCounts[0] == 1 ? 1 : null;
        int? best = null;
        foreach (int bucket in FrameCounts)
            if (bucket > 1 && bucket <= frames) best = bucket;
        return best;
    }
}
