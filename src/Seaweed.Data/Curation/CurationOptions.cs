using Seaweed.Model;

namespace Seaweed.Data.Curation;

/// <summary>Everything the curation pipeline decides with: filters, buckets, dedup and balance, packing.</summary>
public sealed record CurationOptions
{
    public QualityThresholds Quality { get; init; } = QualityThresholds.Default;
    public AspectBuckets Aspects { get; init; } = AspectBuckets.Default;
    public DurationBuckets Durations { get; init; } = DurationBuckets.Default;

    /// <summary>Signature distance under which two clips are near-duplicates (copies measure ≤ ~0.14, look-alikes ≥ ~0.18).</summary>
    public double DuplicateThreshold { get; init; } = 0.16;

    /// <summary>A content cluster keeps at most this many times the median cluster size.</summary>
    public double BalanceCapFactor { get; init; } = 3;

    /// <summary>Tokens per packed training sequence.</summary>
    public int PackCapacity { get; init; } = 1024;

    /// <summary>The model the samples are cut for: its VAE and DiT patch turn a sample's size into tokens.</summary>
    public SeaweedConfig Model { get; init; } = Presets.Tiny;

    public long Seed { get; init; }

    public CurationOptions Validate()
    {
        Quality.Validate();
        if (!(DuplicateThreshold >= 0 && DuplicateThreshold <= 1)) throw new ArgumentException($"DuplicateThreshold: {DuplicateThreshold} must be in [0, 1]", nameof(DuplicateThreshold));
        if (!(BalanceCapFactor > 0) || double.IsInfinity(BalanceCapFactor)) throw new ArgumentException($"BalanceCapFactor: {BalanceCapFactor} must be a positive number", nameof(BalanceCapFactor));
        if (PackCapacity <= 0) throw new ArgumentException($"PackCapacity: {PackCapacity} must be positive", nameof(PackCapacity));
        foreach (var bucket in Aspects.Buckets)
            foreach (int frames in Durations.FrameCounts)
                if (Tokens(bucket, frames) > PackCapacity)
                    throw new ArgumentException($"PackCapacity: {PackCapacity} is less than the {Tokens(bucket, frames)} tokens of a {frames}-frame {bucket.Name} sample", nameof(PackCapacity));
        return this;
    }

    public int Tokens(AspectBucket bucket, int frames)
    {
        var (f, h, w) = Model.LatentGrid(new VideoSize(frames, bucket.Height, bucket.Width), "bucket");
        var patch = Model.Dit.Patch;
        return f / patch[0] * (h / patch[1]) * (w / patch[2]);
    }
}
