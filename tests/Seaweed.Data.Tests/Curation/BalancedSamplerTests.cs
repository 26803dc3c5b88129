using Seaweed.Data.Curation;

namespace Seaweed.Data.Tests.Curation;

public sealed class BalancedSamplerTests
{
    private sealed record Item(string Id, string Label);

    /// <summary>A head cluster of 40 and eight tail clusters of 2–5.</summary>
    private static readonly Item[] Items =
        Enumerable.Range(0, 40).Select(i => new Item($"h{i:D2}", "red-circle-left"))
            .Concat(Enumerable.Range(0, 8).SelectMany(c => Enumerable.Range(0, 2 + c % 4).Select(i => new Item($"t{c}-{i}", $"tail{c}"))))
            .ToArray();

    [Fact]
    public void CapsHeadClustersAndLeavesTheTail()
    {
        var result = BalancedSampler.Sample(Items, i => i.Label, i => i.Id, capFactor: 2, seed: 1);
        // Cluster sizes 2,2,3,3,4,4,5,5,40: median 4, cap 8.
        Assert.Equal(8, result.Report.Cap);
        Assert.Equal(40, result.Report.Before["red-circle-left"]);
        Assert.Equal(8, result.Report.After["red-circle-left"]);
        Assert.Equal(Items.Length, result.Report.TotalBefore);
        Assert.Equal(Items.Length - 32, result.Report.TotalAfter);
        Assert.Equal(result.Report.TotalAfter, result.Kept.Count);
        Assert.All(Items.Where(i => i.Label != "red-circle-left"), i => Assert.Contains(i, result.Kept));
    }

    [Fact]
    public void DeterministicBySeedAndIndependentOfOrder()
    {
        var a = BalancedSampler.Sample(Items, i => i.Label, i => i.Id, 2, seed: 1).Kept.Select(i => i.Id).Order().ToArray();
        var b = BalancedSampler.Sample(Items.Reverse().ToArray(), i => i.Label, i => i.Id, 2, seed: 1).Kept.Select(i => i.Id).Order().ToArray();
        var c = BalancedSampler.Sample(Items, i => i.Label, i => i.Id, 2, seed: 2).Kept.Select(i => i.Id).Order().ToArray();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void EdgeCases()
    {
        var empty = BalancedSampler.Sample(Array.Empty<Item>(), i => i.Label, i => i.Id, 2, 0);
        Assert.Empty(empty.Kept);
        Assert.Equal(0, empty.Report.TotalBefore);
        var one = BalancedSampler.Sample([new Item("a", "x")], i => i.Label, i => i.Id, 0.1, 0);
        Assert.Single(one.Kept);
        var same = Enumerable.Range(0, 10).Select(i => new Item($"s{i}", "x")).ToArray();
        Assert.Equal(10, BalancedSampler.Sample(same, i => i.Label, i => i.Id, 1, 0).Kept.Count);
        Assert.Throws<ArgumentOutOfRangeException>("capFactor", () => BalancedSampler.Sample(same, i => i.Label, i => i.Id, 0, 0));
        Assert.Throws<ArgumentException>("items", () => BalancedSampler.Sample([same[0], same[0]], i => i.Label, i => i.Id, 1, 0));
    }
}
