using Seaweed.Parallel.Checkpointing;
using Seaweed.Parallel.Sharding;
using static TorchSharp.torch;

namespace Seaweed.Parallel.Tests.Checkpointing;

public class CheckpointedStepTests
{
    [Fact]
    public void A_failing_recompute_fails_the_step_before_the_optimizer()
    {
        using var chain = new BlockChain(false, true);
        var units = chain.Blocks.Select((b, i) => new FlatUnit($"blocks.{i}", b.named_parameters().Select(p => (p.name, p.parameter)).ToList())).ToList();
        using var step = DistributedStep.SingleProcess(units, new AdamWOptions());
        using var mlac = new ActivationCheckpointing(CheckpointPolicy.All(ActivationLevel.Recompute));
        bool failRecompute = true, inBackward = false;
        Func<Tensor[], Tensor[]> FailInBackward(int layer, Func<Tensor[], Tensor[]> run) =>
            xs => failRecompute && inBackward && layer == 1 ? throw new IOException("device lost") : run(xs);
        Tensor Loss(int microBatch)
        {
            inBackward = false;
            var loss = chain.Forward(mlac, FailInBackward, out _);
            inBackward = true;
            return loss;
        }
        float[][] Parameters() => step.Model.ParameterShards.Select(p => p.data<float>().ToArray()).ToArray();
        var before = Parameters();

        var e = Assert.Throws<InvalidOperationException>(() => step.Run(1, Loss, 1e-2, mlac.Backward));
        Assert.Contains("layer 1", e.Message);
        Assert.Equal(0, step.Optimizer.StepCount);
        Assert.Equal(before, Parameters());

        failRecompute = false;
        step.Run(1, Loss, 1e-2, mlac.Backward);
        Assert.Equal(1, step.Optimizer.StepCount);
        Assert.NotEqual(before, Parameters());
    }
}
