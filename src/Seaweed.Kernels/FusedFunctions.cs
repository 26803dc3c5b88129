using TorchSharp;
using static TorchSharp.torch;

namespace Seaweed.Kernels;

// The fused operators inside autograd. vars[0] is the IFusedBackend; every tensor input arrives contiguous
// (Fused makes it so). Outputs are allocated here and filled by the backend; gradients of inputs that need none
// are returned as null. Each static Forward is the op without autograd, for calls that record no graph.

internal sealed class QkNormRopeFunction : autograd.MultiTensorFunction<QkNormRopeFunction>
{
    public override string Name => "FusedQkNormRope";

    /// <param name="vars">backend, qkv, wQ, wK, cos, sin, eps, heads.</param>
    public override List<Tensor> forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var backend = (IFusedBackend)vars[0];
        var (qkv, wQ, wK, cos, sin) = ((Tensor)vars[1], (Tensor)vars[2], (Tensor)vars[3], (Tensor)vars[4], (Tensor)vars[5]);
        double eps = (double)vars[6];
        long heads = (int)vars[7];
        ctx.save_for_backward([qkv, wQ, wK, cos, sin]);
        ctx.save_data(nameof(IFusedBackend), backend);
        ctx.save_data("eps", eps);
        return Forward(backend, qkv, wQ, wK, cos, sin, eps, heads);
    }

    public static List<Tensor> Forward(IFusedBackend backend, Tensor qkv, Tensor wQ, Tensor wK, Tensor cos, Tensor sin, double eps, long heads)
    {
        var q = empty([qkv.shape[0], heads, qkv.shape[1], wQ.shape[0]], dtype: qkv.dtype, device: qkv.device);
        var k = empty_like(q);
        backend.QkNormRopeForward(qkv, wQ, wK, cos, sin, eps, q, k);
        return [q, k];
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, List<Tensor> grad_outputs)
    {
        var saved = ctx.get_saved_variables();
        var (qkv, wQ, wK, cos, sin) = (saved[0], saved[1], saved[2], saved[3], saved[4]);
        var gQkv = empty_like(qkv);
        var gWQ = empty_like(wQ);
        var gWK = empty_like(wK);
        ((IFusedBackend)ctx.get_data(nameof(IFusedBackend))).QkNormRopeBackward(qkv, wQ, wK, cos, sin, (double)ctx.get_data("eps"),
            grad_outputs[0].contiguous(), grad_outputs[1].contiguous(), gQkv, gWQ, gWK);
        return [null!, gQkv, gWQ, gWK, null!, null!, null!, null!];
    }
}

internal sealed class ModulateFunction : autograd.SingleTensorFunction<ModulateFunction>
{
    public override string Name => "FusedModulate";

    /// <param name="vars">backend, x, scale, shift, eps.</param>
    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var backend = (IFusedBackend)vars[0];
        var (x, scale, shift) = ((Tensor)vars[1], (Tensor)vars[2], (Tensor)vars[3]);
        double eps = (double)vars[4];
        ctx.save_for_backward([x, scale]);
        ctx.save_data(nameof(IFusedBackend), backend);
        ctx.save_data("eps", eps);
        return Forward(backend, x, scale, shift, eps);
    }

    public static Tensor Forward(IFusedBackend backend, Tensor x, Tensor scale, Tensor shift, double eps)
    {
        var y = empty_like(x);
        backend.ModulateForward(x, scale, shift, eps, y);
        return y;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var saved = ctx.get_saved_variables();
        var (x, scale) = (saved[0], saved[1]);
        var gX = empty_like(x);
        var gScale = empty_like(scale);
        var gShift = empty_like(scale);
        ((IFusedBackend)ctx.get_data(nameof(IFusedBackend))).ModulateBackward(x, scale, (double)ctx.get_data("eps"),
            grad_output.contiguous(), gX, gScale, gShift);
        return [null!, gX, gScale, gShift, null!];
    }
}

internal sealed class GatedResidualFunction : autograd.SingleTensorFunction<GatedResidualFunction>
{
    public override string Name => "FusedGatedResidual";

    /// <param name="vars">backend, x, gate, f.</param>
    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var backend = (IFusedBackend)vars[0];
        var (x, gate, f) = ((Tensor)vars[1], (Tensor)vars[2], (Tensor)vars[3]);
        ctx.save_for_backward([gate, f]);
        ctx.save_data(nameof(IFusedBackend), backend);
        return Forward(backend, x, gate, f);
    }

    public static Tensor Forward(IFusedBackend backend, Tensor x, Tensor gate, Tensor f)
    {
        var y = empty_like(x);
        backend.GatedResidualForward(x, gate, f, y);
        return y;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var saved = ctx.get_saved_variables();
        var (gate, f) = (saved[0], saved[1]);
        var gY = grad_output.contiguous();
        var gF = empty_like(f);
        var gGate = empty_like(gate);
        ((IFusedBackend)ctx.get_data(nameof(IFusedBackend))).GatedResidualBackward(gate, f, gY, gF, gGate);
        return [null!, gY, gGate, gF];
    }
}

internal sealed class SwiGluFunction : autograd.SingleTensorFunction<SwiGluFunction>
{
    public override string Name => "FusedSwiGlu";

    /// <param name="vars">backend, gateUp.</param>
    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var backend = (IFusedBackend)vars[0];
        var gateUp = (Tensor)vars[1];
        ctx.save_for_backward([gateUp]);
        ctx.save_data(nameof(IFusedBackend), backend);
        return Forward(backend, gateUp);
    }

    public static Tensor Forward(IFusedBackend backend, Tensor gateUp)
    {
        long[] shape = [.. gateUp.shape[..^1], gateUp.shape[^1] / 2];
        var y = empty(shape, dtype: gateUp.dtype, device: gateUp.device);
        backend.SwiGluForward(gateUp, y);
        return y;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var gateUp = ctx.get_saved_variables()[0];
        var gGateUp = empty_like(gateUp);
        ((IFusedBackend)ctx.get_data(nameof(IFusedBackend))).SwiGluBackward(gateUp, grad_output.contiguous(), gGateUp);
        return [null!, gGateUp];
    }
}
