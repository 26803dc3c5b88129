using Seaweed.Data.Curation;
using Seaweed.Data.Imaging;
using Seaweed.Data.World;

namespace Seaweed.Data.Tests.Curation;

public sealed class DuplicateClusteringTests
{
    private static readonly (string Id, ClipSignature Signature)[] Clips = BuildClips();

    /// <summary>Six world clips and a rescaled copy of each of the first three.</summary>
    private static (string, ClipSignature)[] BuildClips()
    {
        var world = new WorldGenerator(new WorldOptions { Seed = 5, StillFraction = 0 });
        var result = new List<(string, ClipSignature)>();
        for (int i = 0; i < 6; i++)
        {
            var frames = world.Clip(i).Render();
            result.Add(($"clip{i}", ClipSignature.Compute(frames)));
            if (i < 3) result.Add(($"copy{i}", ClipSignature.Compute(FrameOps.Resize(frames, frames.Width + 32, frames.Height + 16))));
        }
        return result.ToArray();
    }

    private static string[] Describe(IReadOnlyList<DuplicateCluster> clusters) =>
        clusters.Select(c => $"{c.Representative}: {string.Join(" ", c.Members)}").ToArray();

    [Fact]
    public void EmptyAndSingleInputs()
    {
        Assert.Empty(DuplicateClustering.Cluster([], 0.16));
        var one = Assert.Single(DuplicateClustering.Cluster([Clips[0]], 0.16));
        Assert.Equal(Clips[0].Id, one.Representative);
        Assert.Empty(one.Removed);
    }

    [Fact]
    public void CopiesJoinTheirSourceUnderTheSmallestId()
    {
        var clusters = DuplicateClustering.Cluster(Clips, 0.16);
        Assert.Equal(["clip0: clip0 copy0", "clip1: clip1 copy1", "clip2: clip2 copy2", "clip3: clip3", "clip4: clip4", "clip5: clip5"], Describe(clusters));
        Assert.Equal(Describe(DuplicateClustering.ClusterAllPairs(Clips, 0.16)), Describe(clusters));
    }

    [Fact]
    public void AllIdenticalIsOneCluster()
    {
        var same = Enumerable.Range(0, 5).Select(i => ($"z{4 - i}", Clips[0].Signature)).ToArray();
        var cluster = Assert.Single(DuplicateClustering.Cluster(same, 0));
        Assert.Equal("z0", cluster.Representative);
        Assert.Equal(["z1", "z2", "z3", "z4"], cluster.Removed);
    }

    [Fact]
    public void ResultDoesNotDependOnInputOrder()
    {
        var expected = Describe(DuplicateClustering.Cluster(Clips, 0.16));
        for (int seed = 0; seed < 5; seed++)
        {
            var rng = new WorldRandom((ulong)seed);
            var shuffled = Clips.OrderBy(_ => rng.NextULong()).ToArray();
            Assert.Equal(expected, Describe(DuplicateClustering.Cluster(shuffled, 0.16)));
        }
    }

    [Fact]
    public void ThresholdIsInclusive()
    {
        var pair = new[] { Clips[0], Clips[2] };
        double d = ClipSignature.Distance(pair[0].Signature, pair[1].Signature);
        Assert.Single(DuplicateClustering.ClusterAllPairs(pair, d));
        Assert.Equal(2, DuplicateClustering.ClusterAllPairs(pair, Math.BitDecrement(d)).Count);
        Assert.Equal(Clips.Length, DuplicateClustering.ClusterAllPairs(Clips, 0).Count);
        Assert.Single(DuplicateClustering.ClusterAllPairs(Clips, 1));
    }

    [Fact]
    public void RejectsBadArguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>("threshold", () => DuplicateClustering.Cluster(Clips, 1.5));
        Assert.Throws<ArgumentOutOfRangeException>("threshold", () => DuplicateClustering.Cluster(Clips, double.NaN));
        var ex = Assert.Throws<ArgumentException>("clips", () => DuplicateClustering.Cluster([Clips[0], Clips[0]], 0.16));
        Assert.Contains("clip0", ex.Message);
    }
}
