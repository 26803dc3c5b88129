using Seaweed.Parallel.Checkpointing;
using static TorchSharp.torch;

namespace Seaweed.Parallel.Tests.Checkpointing;

public class CheckpointingTests
{
    // dual-stream, then shared blocks: both kinds, chained, with emb feeding every block.
    private static readonly bool[] Chain = [false, true, true];

    internal static void AssertClose(Tensor expected, Tensor actual, string what, double relative = 1e-5)
    {
        double scale = expected.abs().max().item<float>();
        double error = (expected - actual).abs().max().item<float>();
        Assert.True(error <= relative * scale + 1e-12, $"{what}: max error {error:E2} against max {scale:E2}");
    }

    internal static void AssertSameStep((float Loss, Tensor[] Grads) expected, (float Loss, Tensor[] Grads) actual)
    {
        Assert.Equal(expected.Loss, actual.Loss, 1e-5 * Math.Abs(expected.Loss));
        Assert.Equal(expected.Grads.Length, actual.Grads.Length);
        for (int i = 0; i < expected.Grads.Length; i++)
            AssertClose(expected.Grads[i], actual.Grads[i], $"gradient {i}");
    }

    [Theory]
    [InlineData(ActivationLevel.Keep)]
    [InlineData(ActivationLevel.Recompute)]
    [InlineData(ActivationLevel.Host)]
    [InlineData(ActivationLevel.Disk)]
    public void Every_level_gives_the_plain_loss_and_gradients(ActivationLevel level)
    {
        using var chain = new BlockChain(Chain);
        var plain = chain.Step();
        Assert.Contains(plain.Grads, g => g.abs().max().item<float>() > 0); // the comparison is not between zeros

        using var mlac = new ActivationCheckpointing(CheckpointPolicy.All(level));
        AssertSameStep(plain, chain.Step(mlac));
        AssertSameStep(plain, chain.Step(mlac)); // a second step on the same runner
        Assert.Equal(level == ActivationLevel.Keep ? 0 : 2 * Chain.Length, mlac.Recomputes);
        Assert.Equal(new ActivationBytes(0, 0, 0), mlac.Memory.Current);
    }

    [Fact]
    public void Recompute_counts_follow_the_policy_per_block_kind()
    {
        using var chain = new BlockChain(false, false, true, true, true);
        var plain = chain.Step();
        using var mlac = new ActivationCheckpointing(new CheckpointPolicy { DualStream = ActivationLevel.Keep, Shared = ActivationLevel.Disk });
        using (NewDisposeScope())
        {
            var loss = chain.Forward(mlac, null, out _);
            Assert.Equal(0, mlac.Recomputes);
            mlac.Backward(loss);
        }
        Assert.Equal(3, mlac.Recomputes);

        using var mixed = new ActivationCheckpointing(new CheckpointPolicy { DualStream = ActivationLevel.Host, Shared = ActivationLevel.Recompute });
        AssertSameStep(plain, chain.Step(mixed));
        Assert.Equal(5, mixed.Recomputes);
    }

    [Fact]
    public void Without_a_graph_nothing_is_saved_or_recomputed()
    {
        using var chain = new BlockChain(Chain);
        using var mlac = new ActivationCheckpointing(CheckpointPolicy.All(ActivationLevel.Disk));
        using (NewDisposeScope())
        using (no_grad())
        {
            var plain = chain.Forward(null, null, out _);
            var loss = chain.Forward(mlac, null, out _);
            AssertClose(plain, loss, "loss");
        }
        Assert.Equal(new ActivationBytes(0, 0, 0), mlac.Memory.Peak);
        Assert.Empty(Directory.GetFiles(mlac.SpillDirectory!));
    }

    [Fact]
    public void Spill_files_exist_between_forward_and_backward_and_are_removed_after()
    {
        using var chain = new BlockChain(false, true, true, true);
        string dir;
        using (var mlac = new ActivationCheckpointing(CheckpointPolicy.All(ActivationLevel.Disk)))
        {
            dir = mlac.SpillDirectory!;
            Assert.StartsWith(Path.GetTempPath(), dir);
            using (NewDisposeScope())
            {
                var loss = chain.Forward(mlac, null, out _);
                mlac.WaitForTransfers();
                // Every block's inputs but the newest's, which backward starts with.
                Assert.Equal(3, Directory.GetFiles(dir).Length);
                Assert.Equal(3 * chain.InputBytes, mlac.Memory.Current.Disk);
                Assert.Equal(3 * chain.InputBytes, Directory.GetFiles(dir).Sum(f => new FileInfo(f).Length));
                mlac.Backward(loss);
            }
            Assert.Empty(Directory.GetFiles(dir));
            Assert.Equal(new ActivationBytes(0, 0, 0), mlac.Memory.Current);
            Assert.Equal(3 * chain.InputBytes, mlac.Memory.Peak.Disk);
        }
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void A_failing_forward_removes_the_spill_files_and_rethrows()
    {
        using var chain = new BlockChain(false, true, true, true);
        using var mlac = new ActivationCheckpointing(CheckpointPolicy.All(ActivationLevel.Disk));
        Func<Tensor[], Tensor[]> Fail(int layer, Func<Tensor[], Tensor[]> run) =>
            layer == 3 ? _ => throw new InvalidOperationException("out of memory in layer 3") : run;
        using (NewDisposeScope())
        {
            var e = Assert.Throws<InvalidOperationException>(() => chain.Forward(mlac, Fail, out _));
            Assert.Contains("layer 3", e.Message);
        }
        Assert.Empty(Directory.GetFiles(mlac.SpillDirectory!));
        Assert.Equal(new ActivationBytes(0, 0, 0), mlac.Memory.Current);
    }

    [Fact]
    public void A_failing_recompute_is_rethrown_after_backward_and_removes_the_spill_files()
    {
        using var chain = new BlockChain(false, true, true, true);
        using var mlac = new ActivationCheckpointing(CheckpointPolicy.All(ActivationLevel.Disk));
        bool inBackward = false;
        Func<Tensor[], Tensor[]> FailInBackward(int layer, Func<Tensor[], Tensor[]> run) =>
            xs => inBackward && layer == 2 ? throw new IOException("spill disk gone") : run(xs);
        using (NewDisposeScope())
        {
            var loss = chain.Forward(mlac, FailInBackward, out _);
            inBackward = true;
            var e = Assert.Throws<InvalidOperationException>(() => mlac.Backward(loss));
            Assert.Contains("layer 2", e.Message);
            Assert.IsType<IOException>(e.InnerException);
        }
        Assert.Empty(Directory.GetFiles(mlac.SpillDirectory!));
        Assert.Equal(new ActivationBytes(0, 0, 0), mlac.Memory.Current);
        // The failure is reported once; the runner stays usable.
        inBackward = false;
        AssertSameStep(chain.Step(), chain.Step(mlac));
    }

    [Fact]
    public void Bad_input_names_the_field()
    {
        var e = Assert.Throws<ArgumentException>(() => new ActivationCheckpointing(new CheckpointPolicy { Shared = (ActivationLevel)7 }));
        Assert.Equal("shared", e.ParamName);
        Assert.Contains("Keep, Recompute, Host, Disk", e.Message);
        Assert.Equal("dualStream", Assert.Throws<ArgumentException>(() => new CheckpointPolicy { DualStream = (ActivationLevel)(-1) }.Validate()).ParamName);

        using var chain = new BlockChain(false);
        using var mlac = new ActivationCheckpointing(CheckpointPolicy.All(ActivationLevel.Recompute));
        using var x = zeros(1);
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => mlac.Run(0, chain.Blocks[0], chain.Runner(chain.Blocks[0]), [x, x])).ParamName);
    }
}
