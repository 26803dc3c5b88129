namespace Seaweed.Data.Curation;

/// <summary>A training resolution for one aspect ratio; sides are multiples of 16 so both VAEs divide them.</summary>
public sealed record AspectBucket(string Name, int Width, int Height)
{
    public double LogAspect => Math.Log((double)Width / Height);
}

/// <summary>How a clip reaches its bucket: the centred crop of the source that has the bucket's aspect ratio,
/// then a resize of that crop to the bucket's size.</summary>
public sealed record AspectPlan(AspectBucket Bucket, PixelRect Crop);

/// <summary>
/// Multi-aspect training: every clip goes to the bucket whose aspect ratio is nearest on a log scale (so 2:1 and
/// 1:2 are equally far from 1:1), losing as little of the picture as possible to the crop.
/// </summary>
public sealed class AspectBuckets
{
    public static AspectBuckets Default { get; } = new(
    [
        new("1:2", 64, 128), new("2:3", 64, 96), new("3:4", 96, 128), new("1:1", 64, 64),
        new("4:3", 128, 96), new("3:2", 96, 64), new("2:1", 128, 64),
    ]);

    public AspectBuckets(IReadOnlyList<AspectBucket> buckets)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        if (buckets.Count == 0) throw new ArgumentException("at least one bucket is required", nameof(buckets));
        foreach (var b in buckets)
            if (b.Width <= 0 || b.Height <= 0 || b.Width % 16 != 0 || b.Height % 16 != 0)
                throw new ArgumentException($"bucket {b.Name} is {b.Width}x{b.Height}: sides must be positive multiples of 16", nameof(buckets));
        if (buckets.Select(b => b.Name).Distinct().Count() != buckets.Count)
            throw new ArgumentException("bucket names must be distinct", nameof(buckets));
        if (buckets.Any(b => buckets.Any(o => !ReferenceEquals(o, b) && (long)o.Width * b.Height == (long)b.Width * o.Height)))
            throw new ArgumentException("two buckets have the same aspect ratio", nameof(buckets));
        Buckets = buckets.ToArray();
    }

    public IReadOnlyList<AspectBucket> Buckets { get; }

    /// <summary>The nearest bucket by log aspect ratio (the earlier bucket on a tie) and the centred crop to reach it.</summary>
    public AspectPlan Assign(int width, int height)
    {
        if (width <= 0) throw new ArgumentOutOfRangeException(nameof(width), width, "width must be positive");
        if (height <= 0) throw new ArgumentOutOfRangeException(nameof(height), height, "height must be positive");
        double aspect = Math.Log((double)width / height);
        var bucket = Buckets.MinBy(b => Math.Abs(b.LogAspect - aspect))!;
        // Keep the full side along which the source is relatively shorter; trim the other to the bucket's ratio.
        int cropWidth = width, cropHeight = height;
        if ((long)width * bucket.Height > (long)height * bucket.Width)
            cropWidth = Math.Clamp((int)Math.Round((double)height * bucket.Width / bucket.Height), 1, width);
        else
            cropHeight = Math.Clamp((int)Math.Round((double)width * bucket.Height / bucket.Width), 1, height);
        return new AspectPlan(bucket, new PixelRect((width - cropWidth) / 2, (height - cropHeight) / 2, cropWidth, cropHeight));
    }
}
