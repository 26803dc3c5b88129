using TorchSharp;
using static TorchSharp.torch;

namespace Seaweed.Parallel.Checkpointing;

/// <summary>
/// One checkpointed block call: what <see cref="RecomputeFunction"/> needs between forward and backward. The saved
/// tensors are the block's three inputs, then the attention outputs its forward kept (<see cref="AttentionReplay"/>).
/// </summary>
internal sealed class CheckpointedBlock(
    ActivationCheckpointing owner, int layer, ActivationLevel level, Func<Tensor[], Tensor[]> run, Tensor[] parameters)
{
    private SavedInputs? saved;

    public Tensor[] Forward(Tensor[] inputs)
    {
        var kept = new List<Tensor>();
        try
        {
            Tensor[] outputs;
            using (owner.Attention.Record(kept)) outputs = run(inputs);
            saved = owner.Save(layer, level, [.. inputs, .. kept]);
            return outputs;
        }
        finally
        {
            foreach (var t in kept) t.Dispose(); // the saved entry holds its own handles
        }
    }

    /// <summary>
    /// Gradients for [block, text, video, emb, parameters...]. Never throws: a managed exception cannot cross
    /// libtorch's autograd engine (it ends the process), so a failure is handed to the owner, which rethrows it
    /// after backward, and this block returns no gradients.
    /// </summary>
    public List<Tensor> Backward(List<Tensor> gradOutputs)
    {
        var grads = new Tensor?[4 + parameters.Length];
        using var scope = NewDisposeScope();
        try
        {
            owner.PrefetchBefore(saved!);
            var restored = saved!.Take();
            var inputs = restored.Take(3).Select((x, i) => x.detach().requires_grad_(saved.RequiresGrad[i])).ToArray();
            Tensor[] outputs;
            using (enable_grad())
            using (owner.Attention.Replay(restored.Skip(3)))
                outputs = run(inputs);
            owner.CountRecompute();

            var live = Enumerable.Range(0, outputs.Length)
                .Where(j => !gradOutputs[j].IsInvalid && outputs[j].requires_grad).ToArray();
            var wrt = Enumerable.Range(0, inputs.Length).Where(i => inputs[i].requires_grad).Select(i => (Slot: 1 + i, T: inputs[i]))
                .Concat(Enumerable.Range(0, parameters.Length).Where(p => parameters[p].requires_grad).Select(p => (Slot: 4 + p, T: parameters[p])))
                .ToArray();
            if (live.Length > 0 && wrt.Length > 0)
            {
                var got = autograd.grad(live.Select(j => outputs[j]).ToList(), wrt.Select(w => w.T).ToList(),
                    live.Select(j => gradOutputs[j]).ToList(), allow_unused: true);
                owner.Attention.ThrowIfFailed();
                for (int w = 0; w < wrt.Length; w++)
                    if (!got[w].IsInvalid) grads[wrt[w].Slot] = got[w];
            }
            foreach (var g in grads) if (g is not null) owner.DisposeAfterHandOver(g.DetachFromDisposeScope());
        }
        catch (Exception e)
        {
            Array.Clear(grads);
            owner.Fail(layer, e);
        }
        finally
        {
            owner.Release(saved!);
            foreach (var g in gradOutputs) g.Dispose(); // the engine holds its own references
        }
        return grads.ToList()!;
    }
}
