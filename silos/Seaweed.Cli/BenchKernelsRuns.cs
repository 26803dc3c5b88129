using System.Text.Json;
using Seaweed.Kernels;
using Seaweed.Model;
using static TorchSharp.torch;

namespace Seaweed.Cli;

/// <summary>The four fused operators, each timed as the DiT runs it: <see cref="DitOps"/> fused against reference.</summary>
internal static class KernelOpBench
{
    /// <summary>One operator: its inputs (gradients taken with respect to <c>Wrt</c>) and its call through a <see cref="DitOps"/>.</summary>
    private sealed record Case(FusedOp Op, long Elements, Traffic Fused, Traffic Composed, Tensor[] Wrt, Func<DitOps, Tensor[]> Call);

    public static KernelOpResult[] All(DitConfig d, int batch, long tokens, int repeats, IProgress<int> progress)
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        long hd = d.HeadDim, h = d.Hidden;
        Tensor Leaf(params long[] shape) => randn(shape).requires_grad_();
        var qNorm = new RMSNorm(hd, d.NormEps);
        var kNorm = new RMSNorm(hd, d.NormEps);
        var norm = new RMSNorm(h, d.NormEps, affine: false);
        var (cos, sin) = MMRope.Angles(arange(tokens, dtype: int64).unsqueeze(1).expand(tokens, 3), d.HeadDim, d.RopeTheta);
        var (qkv, x, scale, shift, f, gateUp) = (Leaf(batch, tokens, 3 * h), Leaf(batch, tokens, h), Leaf(batch, h), Leaf(batch, h), Leaf(batch, tokens, h), Leaf(batch, tokens, 2L * d.MlpHidden));
        var rows = batch * tokens;
        Case[] cases =
        [
            new(FusedOp.QkNormRope, rows * 2 * h, TrafficModel.QkNormRopeFused, TrafficModel.QkNormRopeComposed,
                [qkv, .. qNorm.parameters(), .. kNorm.parameters()],
                ops => { var (q, k) = ops.QkNormRope(qkv, qNorm, kNorm, cos, sin, d.Heads); return [q, k]; }),
            new(FusedOp.Modulate, rows * h, TrafficModel.ModulateFused, TrafficModel.ModulateComposed, [x, scale, shift],
                ops => [ops.Modulate(x, norm, scale, shift)]),
            new(FusedOp.GatedResidual, rows * h, TrafficModel.GatedResidualFused, TrafficModel.GatedResidualComposed, [x, scale, f],
                ops => [ops.GatedResidual(x, scale, f)]),
            new(FusedOp.SwiGlu, rows * d.MlpHidden, TrafficModel.SwiGluFused, TrafficModel.SwiGluComposed, [gateUp],
                ops => [ops.SwiGlu(gateUp)]),
        ];
        var fused = DitOps.For(KernelMode.Fused, x);
        var results = cases.Select(c => Measure(c, fused, repeats)).ToArray();
        progress.Report(3);
        return results;
    }

    private static KernelOpResult Measure(Case c, DitOps fused, int repeats)
    {
        void Forward(DitOps ops)
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            c.Call(ops);
        }
        void ForwardBackward(DitOps ops)
        {
            using var scope = NewDisposeScope();
            var outputs = c.Call(ops);
            autograd.grad(outputs, c.Wrt, outputs.Select(o => ones_like(o)).ToList());
        }
        var (fusedFwd, refFwd) = PairedTimer.Measure(() => Forward(fused), () => Forward(DitOps.Reference), repeats, OpWarmups, OpCallsPerSample);
        var (fusedAll, refAll) = PairedTimer.Measure(() => ForwardBackward(fused), () => ForwardBackward(DitOps.Reference), repeats, OpWarmups, OpCallsPerSample);
        var (training, inference) = (AutoKernels.Fuses(c.Op, training: true), AutoKernels.Fuses(c.Op, training: false));
        return new KernelOpResult(JsonNamingPolicy.CamelCase.ConvertName(c.Op.ToString()), c.Elements,
            new Ratio(Round(refFwd.WallMs / fusedFwd.WallMs), Round(refAll.WallMs / fusedAll.WallMs)),
            new Ratio(Round(refFwd.CpuMs / fusedFwd.CpuMs), Round(refAll.CpuMs / fusedAll.CpuMs)),
            Millis.Of(fusedFwd, fusedAll), Millis.Of(refFwd, refAll),
            new Bytes(c.Fused.BytesForward, c.Fused.BytesBackward), new Bytes(c.Composed.BytesForward, c.Composed.BytesBackward),
            Round((c.Composed.Forward + c.Composed.Backward) / (c.Fused.Forward + c.Fused.Backward)),
            new AutoChoice(inference, training, inference == refFwd.WallMs > fusedFwd.WallMs, training == refAll.WallMs > fusedAll.WallMs));
    }

    internal static double Round(double x) => Math.Round(x, 3);

    /// <summary>Past tiered compilation's 30 calls with room to spare; a DiT step calls each op a few times per layer.</summary>
    private const int OpWarmups = 60;

    private const int OpCallsPerSample = 10;
}

/// <summary>The tiny DiT end to end: one training step (forward + backward) and guided Euler sampling, fused and auto
/// against reference, weights alike.</summary>
internal static class KernelStepBench
{
    public static EndToEnd Run(SeaweedConfig config, int batch, int repeats, int sampleSteps, IProgress<int> progress, int ticksBefore)
    {
        using var scope = NewDisposeScope();
        manual_seed(6);
        var reference = new HybridStreamDiT(config with { Dit = config.Dit with { Kernels = "reference" } });
        HybridStreamDiT Like(string kernels)
        {
            var dit = new HybridStreamDiT(config with { Dit = config.Dit with { Kernels = kernels } });
            dit.load_state_dict(reference.state_dict());
            return dit;
        }
        HybridStreamDiT[] models = [reference, Like("fused"), Like("auto")];
        var grid = config.LatentGrid(config.Video);
        long[] latent = [batch, config.Vae.LatentChannels, grid.Frames, grid.Height, grid.Width];
        var input = new DitInput(randn(latent), zeros(latent), zeros(new long[] { batch, 1, grid.Frames, grid.Height, grid.Width }), rand(batch),
            randn(batch, config.Text.MaxTokens, config.Text.Hidden), ones(batch, config.Text.MaxTokens, dtype: @bool));
        var x0 = randn(latent);

        void Train(HybridStreamDiT dit)
        {
            using var step = NewDisposeScope();
            FlowMatching.Loss(dit.Forward(input), x0, input.Latent).backward();
            dit.zero_grad();
        }
        var steps = PairedTimer.Measure(models.Select(m => (Action)(() => Train(m))).ToArray(), repeats, StepWarmups);
        progress.Report(ticksBefore + 1);

        var empty = zeros_like(input.Text);
        void Generate(HybridStreamDiT dit)
        {
            using var run = NewDisposeScope();
            EulerSampler.Sample((x, t, conditional) => dit.Forward(input with { Latent = x, Time = t, Text = conditional ? input.Text : empty }),
                input.Latent, sampleSteps, config.Flow.Guidance, shift: 1);
        }
        var generations = PairedTimer.Measure(models.Select(m => (Action)(() => Generate(m))).ToArray(), Math.Max(1, repeats / 2), StepWarmups);
        progress.Report(ticksBefore + 2);
        return new EndToEnd(Result(steps), sampleSteps, Result(generations));
    }

    /// <summary>A step calls every op layers × streams times: a few steps take them all past tiered compilation.</summary>
    private const int StepWarmups = 3;

    /// <param name="times">reference, fused, auto</param>
    private static StepResult Result(PairedTimer.Times[] times)
    {
        var (reference, fused, auto) = (times[0], times[1], times[2]);
        return new(KernelOpBench.Round(reference.WallMs), KernelOpBench.Round(fused.WallMs), KernelOpBench.Round(auto.WallMs),
            KernelOpBench.Round(reference.WallMs / fused.WallMs), KernelOpBench.Round(reference.WallMs / auto.WallMs),
            KernelOpBench.Round(reference.CpuMs / fused.CpuMs));
    }
}
