using Seaweed.Parallel.Transport;
using static TorchSharp.torch;

namespace Seaweed.Parallel.Tests.Collectives;

public class TensorInputTests
{
    [Fact]
    public void AllReduce_of_a_strided_view_writes_the_sum_back_into_the_view()
    {
        var results = Ranks.Run(3, c =>
        {
            using var storage = tensor(Ranks.Values(c.Rank, 12)).reshape(3, 4);
            using var view = storage.t();
            Assert.False(view.is_contiguous());
            c.AllReduce(ProcessGroup.World(3), view);
            return storage.data<float>().ToArray();
        });
        Assert.All(results, r => Assert.Equal(Ranks.Sum(3, 12), r));
    }

    [Fact]
    public void Collectives_on_a_tensor_that_requires_grad_record_no_autograd()
    {
        var results = Ranks.Run(2, c =>
        {
            using var leaf = tensor(Ranks.Values(c.Rank, 6)).requires_grad_();
            c.AllReduce(ProcessGroup.World(2), leaf);
            using var shard = c.ReduceScatter(ProcessGroup.World(2), leaf);
            using var gathered = c.AllGather(ProcessGroup.World(2), shard);
            Assert.True(leaf.requires_grad);
            Assert.False(shard.requires_grad);
            Assert.False(gathered.requires_grad);
            Assert.Null(leaf.grad);
            return gathered.data<float>().ToArray();
        });
        var twice = Ranks.Sum(2, 6).Select(v => 2 * v).ToArray();
        Assert.All(results, r => Assert.Equal(twice, r));
    }

    [Fact]
    public void Results_are_new_tensors_that_do_not_alias_the_input()
    {
        var results = Ranks.Run(1, c =>
        {
            using var input = tensor(new float[] { 1, 2, 3 });
            using var shard = c.ReduceScatter(ProcessGroup.World(1), input);
            using var pieces = c.AllToAll(ProcessGroup.World(1), [input])[0];
            input.add_(10);
            return (Shard: shard.data<float>().ToArray(), Piece: pieces.data<float>().ToArray());
        });
        Assert.Equal([1f, 2f, 3f], results[0].Shard);
        Assert.Equal([1f, 2f, 3f], results[0].Piece);
    }
}
