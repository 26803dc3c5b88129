using Seaweed.Data.Curation;
using Seaweed.Data.World;

namespace Seaweed.Data.Tests.Curation;

public sealed class SequencePackerTests
{
    [Fact]
    public void TokensArePatchesOfTheLatent()
    {
        // 17 frames of 64×64 through a 4×8×8 VAE: latent 5×8×8; patch 1×2×2 gives 80 tokens.
        Assert.Equal(80, SequencePacker.Tokens(5, 8, 8, 1, 2, 2));
        Assert.Throws<ArgumentOutOfRangeException>("latentHeight", () => SequencePacker.Tokens(5, 7, 8, 1, 2, 2));
        Assert.Throws<ArgumentOutOfRangeException>("latentWidth", () => SequencePacker.Tokens(5, 8, 8, 1, 2, 0));
    }

    [Fact]
    public void EveryItemIsPlacedOnceAndNoPackOverflows()
    {
        var rng = new WorldRandom(3);
        var items = Enumerable.Range(0, 300).Select(i => new PackItem($"s{i:D3}", rng.Next(1, 257))).ToArray();
        var packing = SequencePacker.Pack(items, 256);
        Assert.All(packing.Packs, p => Assert.InRange(p.Tokens, 1, 256));
        Assert.Equal(items.Select(i => i.Id).Order(), packing.Packs.SelectMany(p => p.Items).Select(i => i.Id).Order());
        int lowerBound = (int)Math.Ceiling(items.Sum(i => i.Tokens) / 256.0);
        Assert.InRange(packing.Packs.Count, lowerBound, lowerBound * 11 / 10 + 1);
        Assert.InRange(packing.PaddingFraction, 0, 0.1);
        var reversed = SequencePacker.Pack(items.Reverse().ToArray(), 256);
        Assert.Equal(Describe(packing), Describe(reversed));
    }

    [Fact]
    public void BestFitFillsTheFullestSequenceThatFits()
    {
        var packing = SequencePacker.Pack([new("a", 60), new("b", 50), new("c", 40), new("d", 30), new("e", 20)], 100);
        Assert.Equal(["a c", "b d e"], Describe(packing));
        Assert.Equal(0, packing.PaddingFraction);
    }

    [Fact]
    public void EdgeCases()
    {
        var empty = SequencePacker.Pack([], 10);
        Assert.Empty(empty.Packs);
        Assert.Equal(0, empty.PaddingFraction);
        var one = SequencePacker.Pack([new("only", 4)], 10);
        Assert.Equal(0.6, Assert.Single(one.Packs).Tokens == 4 ? one.PaddingFraction : -1, 12);
        var same = SequencePacker.Pack(Enumerable.Range(0, 7).Select(i => new PackItem($"x{i}", 10)).ToArray(), 30);
        Assert.Equal([30, 30, 10], same.Packs.Select(p => p.Tokens));
        Assert.Single(SequencePacker.Pack([new("full", 10)], 10).Packs);
        var ex = Assert.Throws<ArgumentException>("items", () => SequencePacker.Pack([new("ok", 5), new("huge", 11)], 10));
        Assert.Contains("huge", ex.Message);
        Assert.Throws<ArgumentException>("items", () => SequencePacker.Pack([new("zero", 0)], 10));
        Assert.Throws<ArgumentException>("items", () => SequencePacker.Pack([new("a", 1), new("a", 2)], 10));
        Assert.Throws<ArgumentOutOfRangeException>("capacity", () => SequencePacker.Pack([], 0));
    }

    private static string[] Describe(Packing packing) => packing.Packs.Select(p => string.Join(" ", p.Items.Select(i => i.Id))).ToArray();
}
