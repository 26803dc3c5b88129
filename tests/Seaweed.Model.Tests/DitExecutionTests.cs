using static TorchSharp.torch;

namespace Seaweed.Model.Tests;

public class DitExecutionTests
{
    /// <summary>Stands for a context group of <paramref name="members"/> ranks; these tests never reach attention.</summary>
    private sealed class Unreachable(int members) : IAttentionExchange
    {
        public int Members => members;
        public (Tensor Q, Tensor K, Tensor V) ToHeadShards(Tensor q, Tensor k, Tensor v, IReadOnlyList<long> lengths) => throw new InvalidOperationException();
        public Tensor ToSequenceShards(Tensor output, IReadOnlyList<long> lengths) => throw new InvalidOperationException();
    }

    [Fact]
    public void Shards_split_the_joint_sequence_at_floor_boundaries_text_first()
    {
        var shard = new SequenceShard(1, 3, new Unreachable(3));
        Assert.Equal(new long[] { 10, 11, 11 }, shard.Lengths(32));
        var span = shard.Span(textTokens: 12, videoTokens: 20); // tokens [10, 21): text 10, 11 and video 0..8
        Assert.Equal((10L, 21L), (span.Start, span.End));
        Assert.Equal((10L, 2L), (span.TextStart, span.TextLength));
        Assert.Equal((0L, 9L), (span.VideoStart, span.VideoLength));
        var last = new SequenceShard(2, 3, new Unreachable(3)).Span(12, 20); // [21, 32): video only
        Assert.Equal((12L, 0L, 9L, 11L), (last.TextStart, last.TextLength, last.VideoStart, last.VideoLength));
        Assert.Equal(new long[] { 32 }, SequenceShard.Whole.Lengths(32));
    }

    [Theory]
    [InlineData(0, 4, 4, "cp")] // 4 ranks do not divide the 2 heads
    [InlineData(0, 2, 3, "cp")] // the exchange spans another group
    [InlineData(2, 2, 2, "sequenceShard.index")]
    [InlineData(-1, 2, 2, "sequenceShard.index")]
    public void Invalid_shards_are_refused_naming_the_field(int index, int count, int members, string field)
    {
        var c = TinyConfigs.Small;
        using var dit = new HybridStreamDiT(c);
        using var scope = NewDisposeScope();
        var execution = new DitExecution(Shard: new SequenceShard(index, count, new Unreachable(members)));
        var e = Assert.Throws<ConfigException>(() => dit.ForwardTokens(DitTests.Input(c, 1, (1, 2, 2)), execution));
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void A_sequence_too_short_for_the_ranks_and_a_partial_shard_through_Forward_are_refused()
    {
        var small = TinyConfigs.Small;
        var c = (small with { Text = small.Text with { MaxTokens = 2 }, Dit = small.Dit with { Heads = 4 } }).Validate();
        using var dit = new HybridStreamDiT(c);
        using var scope = NewDisposeScope();
        var input = DitTests.Input(c, 1, (1, 2, 2)); // 2 text + 1 video token
        var tooMany = new DitExecution(Shard: new SequenceShard(0, 4, new Unreachable(4)));
        Assert.Equal("sequenceShard", Assert.Throws<ConfigException>(() => dit.ForwardTokens(input, tooMany)).Field);
        var half = new DitExecution(Shard: new SequenceShard(0, 2, new Unreachable(2)));
        Assert.Equal("execution.shard", Assert.Throws<ConfigException>(() => dit.Forward(input, half)).Field);
    }

    [Fact]
    public void The_block_runner_sees_every_layer_in_order_and_its_run_can_be_called_again_after_the_forward()
    {
        var c = TinyConfigs.Small;
        using var dit = DitTests.Randomised(c);
        using var scope = NewDisposeScope();
        var input = DitTests.Input(c, 2, (3, 4, 4));
        var calls = new List<(int Layer, MMDiTBlock Block, Func<Tensor[], Tensor[]> Run, Tensor[] Inputs, Tensor[] Outputs)>();
        // Keeps copies outside the forward's dispose scope, as a checkpointing runner saves what it recomputes from.
        static Tensor[] Keep(Tensor[] ts) => ts.Select(t => t.detach().clone().DetachFromDisposeScope()).ToArray();
        Tensor[] Record(int layer, MMDiTBlock block, Func<Tensor[], Tensor[]> run, Tensor[] inputs)
        {
            var outputs = run(inputs);
            calls.Add((layer, block, run, Keep(inputs), Keep(outputs)));
            return outputs;
        }
        var viaRunner = dit.Forward(input, new DitExecution(Runner: Record));

        Assert.Equal(Enumerable.Range(0, c.Dit.Layers), calls.Select(x => x.Layer));
        Assert.All(calls, x => Assert.Same(dit.Blocks[x.Layer], x.Block));
        long textLen = c.Text.MaxTokens, videoLen = 3 * 2 * 2;
        Assert.All(calls, x => Assert.Equal(
            new[] { new long[] { 2, textLen, c.Dit.Hidden }, [2, videoLen, c.Dit.Hidden], [2, 6, c.Dit.Hidden] },
            x.Inputs.Select(t => t.shape)));
        TensorAssert.Close(dit.Forward(input), viaRunner, 0);
        // A recomputing runner calls run again in backward, after the forward has returned: what the block closes
        // over (the RoPE angles, the text mask) must still be alive.
        foreach (var call in calls)
        {
            var again = call.Run(call.Inputs);
            TensorAssert.Close(call.Outputs[0], again[0], 0);
            TensorAssert.Close(call.Outputs[1], again[1], 0);
        }
    }
}
