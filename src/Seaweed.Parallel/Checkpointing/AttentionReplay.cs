using System.Runtime.ExceptionServices;
using Seaweed.Kernels;
using Seaweed.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Seaweed.Parallel.Checkpointing;

/// <summary>
/// The attention kernel of a checkpointed DiT (Seaweed's MLAC keeps the outputs of compute-bound ops): while a
/// checkpointed block runs forward it keeps each attention call's output and log-sum-exp (<see cref="Record"/>);
/// when the block is recomputed in backward those calls return the kept output and differentiate it with the flash
/// backward (<see cref="Replay"/>), so attention — most of a long sequence's FLOPs — runs forward once per step.
/// Everything else, and attention on tensors the CPU flash kernel does not take, runs as usual.
/// </summary>
public sealed class AttentionReplay : IAttentionKernel
{
    private List<Tensor>? recording;
    private Queue<Tensor>? replaying;
    private ExceptionDispatchInfo? failure;
    private int replays;

    /// <summary>Attention calls answered from kept outputs so far, instead of being computed again.</summary>
    public int Replays => Volatile.Read(ref replays);

    public Tensor Attend(Tensor q, Tensor k, Tensor v, Tensor keyMask)
    {
        if (!FlashAttentionCpu.Supports(q) || (recording is null && replaying is null))
            return AttentionKernel.Sdpa.Attend(q, k, v, keyMask);
        if (recording is not null)
        {
            var (output, logSumExp) = FlashAttentionCpu.Forward(q, k, v, keyMask);
            // Own handles: the block's scopes free theirs before the block's saved tensors are taken.
            recording.Add(output.detach().DetachFromDisposeScope());
            recording.Add(logSumExp.DetachFromDisposeScope());
            return output;
        }
        if (replaying!.Count < 2) throw new InvalidOperationException("the recomputed block made more attention calls than its forward");
        Interlocked.Increment(ref replays);
        return AttentionReplayFunction.apply(this, q, k, v, keyMask, replaying.Dequeue(), replaying.Dequeue());
    }

    /// <summary>Keeps the attention outputs of the calls made until disposed; the caller owns the tensors added to <paramref name="into"/>.</summary>
    internal IDisposable Record(List<Tensor> into) => Begin(() => recording = into, () => recording = null);

    /// <summary>Answers the attention calls made until disposed from what <see cref="Record"/> kept, in order.</summary>
    internal IDisposable Replay(IEnumerable<Tensor> recorded) => Begin(() => replaying = new(recorded), () => replaying = null);

    /// <summary>Rethrows a failure of a replayed attention backward (which could not throw through libtorch's engine).</summary>
    internal void ThrowIfFailed()
    {
        var f = failure;
        failure = null;
        f?.Throw();
    }

    internal void Fail(Exception e) => failure ??= ExceptionDispatchInfo.Capture(e);

    private IDisposable Begin(Action start, Action end)
    {
        if (recording is not null || replaying is not null) throw new InvalidOperationException("attention is already being recorded or replayed");
        start();
        return new Ending(end);
    }

    private sealed class Ending(Action end) : IDisposable
    {
        public void Dispose() => end();
    }
}

/// <summary>
/// A kept attention output inside the recomputed graph: forward returns it, backward is the flash backward.
/// vars = [AttentionReplay, q, k, v, keyMask, output, logSumExp].
/// </summary>
internal sealed class AttentionReplayFunction : autograd.SingleTensorFunction<AttentionReplayFunction>
{
    public override string Name => "MlacAttentionReplay";

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        ctx.save_data(nameof(AttentionReplay), vars[0]);
        ctx.save_for_backward(vars[1..].Cast<Tensor>().ToList());
        return ((Tensor)vars[5]).alias();
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var s = ctx.get_saved_variables();
        try
        {
            var (gq, gk, gv) = FlashAttentionCpu.Backward(grad_output, s[0], s[1], s[2], s[3], s[4], s[5]);
            return [null!, gq, gk, gv, null!, null!, null!];
        }
        catch (Exception e)
        {
            ((AttentionReplay)ctx.get_data(nameof(AttentionReplay))).Fail(e);
            return [null!, null!, null!, null!, null!, null!, null!];
        }
    }
}
