using Seaweed.Parallel.Checkpointing;
using static TorchSharp.torch;

namespace Seaweed.Parallel.Tests.Checkpointing;

/// <summary>Kept blocks are accounted from the process' C heap, so nothing else may allocate meanwhile.</summary>
[CollectionDefinition(nameof(NativeHeapCollection), DisableParallelization = true)]
public sealed class NativeHeapCollection;

[Collection(nameof(NativeHeapCollection))]
public class AccountingTests
{
    private static ActivationBytes AfterForward(BlockChain chain, ActivationLevel level, out ActivationBytes afterBackward)
    {
        using var mlac = new ActivationCheckpointing(CheckpointPolicy.All(level));
        ActivationBytes held;
        using (NewDisposeScope())
        {
            var loss = chain.Forward(mlac, null, out _);
            mlac.WaitForTransfers();
            held = mlac.Memory.Current;
            mlac.Backward(loss);
        }
        afterBackward = mlac.Memory.Current;
        return held;
    }

    [Fact]
    public void Device_bytes_after_forward_order_keep_over_recompute_over_host_and_disk()
    {
        using var chain = new BlockChain(false, true, true, true);
        var held = new Dictionary<ActivationLevel, ActivationBytes>();
        foreach (var level in Enum.GetValues<ActivationLevel>())
        {
            held[level] = AfterForward(chain, level, out var afterBackward);
            Assert.Equal(new ActivationBytes(0, 0, 0), afterBackward);
        }

        long one = chain.InputBytes;
        Assert.Equal(new ActivationBytes(4 * one, 0, 0), held[ActivationLevel.Recompute]);
        // The newest block's inputs stay on the device; the rest moved to their tier.
        Assert.Equal(new ActivationBytes(one, 3 * one, 0), held[ActivationLevel.Host]);
        Assert.Equal(new ActivationBytes(one, 0, 3 * one), held[ActivationLevel.Disk]);
        // Plain autograd keeps every intermediate: several times the inputs.
        Assert.True(held[ActivationLevel.Keep].Device > 3 * held[ActivationLevel.Recompute].Device,
            $"keep {held[ActivationLevel.Keep].Device} vs recompute {held[ActivationLevel.Recompute].Device}");
    }

    [Fact]
    public void Peaks_hold_until_reset()
    {
        using var chain = new BlockChain(false, true);
        using var mlac = new ActivationCheckpointing(CheckpointPolicy.All(ActivationLevel.Recompute));
        chain.Step(mlac);
        Assert.Equal(2 * chain.InputBytes, mlac.Memory.Peak.Device);
        mlac.Memory.ResetPeak();
        Assert.Equal(new ActivationBytes(0, 0, 0), mlac.Memory.Peak);
    }
}
