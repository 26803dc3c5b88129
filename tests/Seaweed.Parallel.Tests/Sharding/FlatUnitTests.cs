using Seaweed.Model;
using Seaweed.Parallel.Sharding;
using TorchSharp;
using static TorchSharp.torch;

namespace Seaweed.Parallel.Tests.Sharding;

public class FlatUnitTests
{
    [Fact]
    public void The_DiT_splits_into_one_unit_per_block_and_one_for_the_rest()
    {
        using var dit = TinyDit.Create(1);
        var units = FlatUnit.PerBlock(dit);
        Assert.Equal(["blocks.0", "blocks.1", "blocks.2", "rest"], units.Select(u => u.Name));
        Assert.Equal(HybridStreamDiT.ParameterCount(TinyDit.Config), units.Sum(u => u.Numel));
        var names = units.SelectMany(u => u.Entries.Select(e => e.Name)).ToList();
        Assert.Equal(dit.named_parameters().Select(p => p.name).Order(), names.Order());
        Assert.All(units.Take(3), u => Assert.All(u.Entries, e => Assert.StartsWith(u.Name + ".", e.Name)));
        Assert.DoesNotContain(units[3].Entries, e => e.Name.StartsWith("blocks."));
        // A dual-stream block holds two sets of stream weights.
        Assert.Equal(2 * units[1].Numel, units[0].Numel);
    }

    [Fact]
    public void Release_frees_the_parameters_and_Bind_restores_them_as_views()
    {
        using var dit = TinyDit.Create(2);
        var before = TinyDit.Parameters(dit).SelectMany(p => p.Values).ToArray();
        var units = FlatUnit.PerBlock(dit);
        var flats = units.Select(u => u.FlattenParameters()).ToArray();
        foreach (var u in units) u.Release();
        Assert.Equal(0, dit.parameters().Sum(p => p.numel()));
        for (int i = 0; i < units.Count; i++) units[i].Bind(flats[i]);
        Assert.Equal(before, TinyDit.Parameters(dit).SelectMany(p => p.Values));
        Assert.All(dit.parameters(), p => Assert.True(p.requires_grad && p.is_leaf));
        // Views: writing the flat vector writes the parameter.
        flats[3][0] = 123f;
        Assert.Equal(123f, units[3].Entries[0].Parameter.reshape(-1)[0].item<float>());
    }

    [Fact]
    public void Gradients_flatten_in_entry_order_with_zeros_for_unused_parameters()
    {
        using var a = nn.Linear(3, 2);
        using var b = nn.Linear(2, 1);
        var units = FlatUnit.Partition(a, []);
        var unit = Assert.Single(units);
        a.call(ones(1, 3)).sum().backward();
        a.bias!.grad = null;
        var flat = unit.FlattenGradients();
        Assert.Equal(8, flat.numel());
        Assert.Equal(Enumerable.Repeat(1f, 6).Concat([0f, 0f]), flat.data<float>().ToArray());
        Assert.Throws<ArgumentException>(() => unit.Bind(zeros(7)));
        var e = Assert.Throws<ArgumentException>(() => FlatUnit.Partition(a, [("other", b)]));
        Assert.Contains("not the root module's", e.Message);
    }

    [Fact]
    public void Units_that_share_a_parameter_are_refused()
    {
        using var dit = TinyDit.Create(3);
        var block = dit.Blocks[0];
        var e = Assert.Throws<ArgumentException>(() => FlatUnit.Partition(dit, [("a", block), ("b", block)]));
        Assert.Contains("share a parameter", e.Message);
    }
}
