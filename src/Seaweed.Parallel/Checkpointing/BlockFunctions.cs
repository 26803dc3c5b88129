using TorchSharp;
using static TorchSharp.torch;

namespace Seaweed.Parallel.Checkpointing;

/// <summary>
/// Checkpointed block: forward without a graph (autograd functions run their forward with grad off), inputs saved
/// through <see cref="CheckpointedBlock"/>; backward recomputes the block with grad and differentiates it.
/// vars = [CheckpointedBlock, text, video, emb, parameters...]: the parameters are inputs so the node has edges to them.
/// </summary>
internal sealed class RecomputeFunction : autograd.MultiTensorFunction<RecomputeFunction>
{
    public override string Name => "MlacRecompute";

    public override List<Tensor> forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var block = (CheckpointedBlock)vars[0];
        ctx.save_data(nameof(CheckpointedBlock), block);
        // Undefined output gradients (the last layer's text tokens) stay undefined instead of becoming zeros.
        ctx.set_materialize_grads(false);
        return block.Forward(vars[1..4].Cast<Tensor>().ToArray()).ToList();
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, List<Tensor> grad_outputs) =>
        ((CheckpointedBlock)ctx.get_data(nameof(CheckpointedBlock))).Backward(grad_outputs);
}

/// <summary>
/// Identity on a kept (plain autograd) block's inputs: its backward runs once the whole block's backward is done,
/// which is when the block's saved activations are gone, so it returns their accounted bytes.
/// vars = [Action release, text, video, emb].
/// </summary>
internal sealed class KeptInputsFunction : autograd.MultiTensorFunction<KeptInputsFunction>
{
    public override string Name => "MlacKeptInputs";

    public override List<Tensor> forward(autograd.AutogradContext ctx, params object[] vars)
    {
        ctx.save_data("release", vars[0]);
        ctx.set_materialize_grads(false);
        return vars[1..].Cast<Tensor>().Select(x => x.alias()).ToList();
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, List<Tensor> grad_outputs)
    {
        ((Action<List<Tensor>>)ctx.get_data("release"))(grad_outputs);
        return [null!, .. grad_outputs.Select(g => g.IsInvalid ? null! : g)];
    }
}
