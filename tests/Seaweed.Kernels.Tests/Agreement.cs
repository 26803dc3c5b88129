using static TorchSharp.torch;

namespace Seaweed.Kernels.Tests;

/// <summary>Fused against composed: same inputs, same outputs and input gradients within a relative tolerance.</summary>
internal static class Agreement
{
    /// <summary>max |fused − composed| / max |composed|, over outputs and the gradients of every input that needs one.</summary>
    public static void Check(Tensor[] inputs, bool[] differentiable, Func<Tensor[], Tensor[]> fused, Func<Tensor[], Tensor[]> composed, double tolerance = 1e-5)
    {
        using var scope = NewDisposeScope();
        var (fusedOut, fusedGrads) = Run(inputs, differentiable, fused);
        var (refOut, refGrads) = Run(inputs, differentiable, composed);
        for (int i = 0; i < refOut.Length; i++) Close(refOut[i], fusedOut[i], tolerance, $"output {i}");
        for (int i = 0; i < inputs.Length; i++)
            if (differentiable[i]) Close(refGrads[i]!, fusedGrads[i]!, tolerance, $"gradient of input {i}");
    }

    public static void Close(Tensor expected, Tensor actual, double tolerance, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        double scale = expected.abs().max().item<float>();
        double diff = (expected - actual).abs().max().item<float>();
        Assert.True(scale > 0, $"{what}: the composed result is all zeros, so the comparison proves nothing");
        Assert.True(diff <= tolerance * scale, $"{what}: max |diff| {diff:E3} > {tolerance:E0} × max |expected| {scale:E3}");
    }

    private static (Tensor[] Outputs, Tensor?[] Grads) Run(Tensor[] inputs, bool[] differentiable, Func<Tensor[], Tensor[]> op)
    {
        // detach keeps the strides, so non-contiguous inputs stay non-contiguous.
        var leaves = inputs.Select((x, i) => x.detach().requires_grad_(differentiable[i])).ToArray();
        var outputs = op(leaves);
        manual_seed(7);
        // randn(shape), not randn_like: a strided output would get its probe in another element order.
        var loss = outputs.Select(o => (o * randn(o.shape)).sum()).Aggregate((a, b) => a + b);
        loss.backward();
        return (outputs.Select(o => o.detach()).ToArray(), leaves.Select((l, i) => differentiable[i] ? l.grad! : null).ToArray());
    }
}
