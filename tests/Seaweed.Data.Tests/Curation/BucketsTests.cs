using Seaweed.Data.Curation;

namespace Seaweed.Data.Tests.Curation;

public sealed class BucketsTests
{
    [Theory]
    [InlineData(128, 128, "1:1", 0, 0, 128, 128)]
    [InlineData(128, 96, "4:3", 0, 0, 128, 96)]
    [InlineData(1280, 720, "2:1", 0, 40, 1280, 640)]
    [InlineData(1000, 700, "3:2", 0, 16, 1000, 667)]
    [InlineData(720, 1280, "1:2", 40, 0, 640, 1280)]
    [InlineData(300, 100, "2:1", 50, 0, 200, 100)]
    [InlineData(100, 1000, "1:2", 0, 400, 100, 200)]
    public void AssignsNearestAspectWithACentredCrop(int width, int height, string bucket, int x, int y, int w, int h)
    {
        var plan = AspectBuckets.Default.Assign(width, height);
        Assert.Equal(bucket, plan.Bucket.Name);
        Assert.Equal(new PixelRect(x, y, w, h), plan.Crop);
    }

    [Fact]
    public void DefaultBucketSidesAreMultiplesOf16AndBadInputsAreNamed()
    {
        Assert.All(AspectBuckets.Default.Buckets, b => Assert.True(b.Width % 16 == 0 && b.Height % 16 == 0));
        Assert.Throws<ArgumentException>("buckets", () => new AspectBuckets([new AspectBucket("odd", 60, 64)]));
        Assert.Throws<ArgumentException>("buckets", () => new AspectBuckets([new("a", 64, 64), new("b", 128, 128)]));
        Assert.Throws<ArgumentException>("buckets", () => new AspectBuckets([]));
        Assert.Throws<ArgumentOutOfRangeException>("height", () => AspectBuckets.Default.Assign(10, 0));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(8, null)]
    [InlineData(9, 9)]
    [InlineData(16, 9)]
    [InlineData(17, 17)]
    [InlineData(32, 17)]
    [InlineData(33, 33)]
    [InlineData(500, 33)]
    public void DurationIsTheLongestBucketTheClipFills(int frames, int? expected) =>
        Assert.Equal(expected, DurationBuckets.Default.Assign(frames));

    [Fact]
    public void DurationBucketsMustBe4kPlus1AndIncreasing()
    {
        Assert.Null(new DurationBuckets([9, 17]).Assign(1));
        Assert.Throws<ArgumentException>("frameCounts", () => new DurationBuckets([1, 8]));
        Assert.Throws<ArgumentException>("frameCounts", () => new DurationBuckets([17, 9]));
        Assert.Throws<ArgumentException>("frameCounts", () => new DurationBuckets([]));
        Assert.Throws<ArgumentOutOfRangeException>("frames", () => DurationBuckets.Default.Assign(0));
    }
}
