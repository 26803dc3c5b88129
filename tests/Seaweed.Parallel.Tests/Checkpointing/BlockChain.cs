using Seaweed.Model;
using Seaweed.Parallel.Checkpointing;
using TorchSharp;
using static TorchSharp.torch;

namespace Seaweed.Parallel.Tests.Checkpointing;

/// <summary>
/// A chain of MM-DiT blocks on fixed random inputs, with the DiT's loss on the video tokens only (so the last text
/// output gets no gradient). <see cref="Step"/> runs forward + backward plainly or through MLAC.
/// </summary>
internal sealed class BlockChain : IDisposable
{
    public static readonly DitConfig Config = new() { Hidden = 24, Heads = 2, MlpMultiple = 8 };
    private const int Batch = 2, TextTokens = 4;
    private static readonly (int F, int H, int W) Grid = (2, 2, 3);

    private readonly Tensor text, video, emb, textMask, cos, sin, lossWeight;
    private readonly JointSequence sequence;

    public BlockChain(params bool[] shared)
    {
        manual_seed(11); // weights: other test classes may draw from the global generator meanwhile, so only inputs are fixed
        Blocks = shared.Select(s => new MMDiTBlock(Config, s)).ToArray();
        int d = Config.Hidden;
        using var g = new Generator(11);
        text = randn([Batch, TextTokens, d], generator: g);
        video = randn([Batch, Grid.F * Grid.H * Grid.W, d], generator: g);
        emb = randn([Batch, 6, d], generator: g) * 0.5;
        textMask = tensor(new[] { true, true, true, true, true, true, true, false }).view(Batch, TextTokens);
        (cos, sin) = MMRope.Angles(MMRope.Positions(TextTokens, Grid.F, Grid.H, Grid.W), Config.HeadDim, Config.RopeTheta);
        lossWeight = randn(video.shape, generator: g);
        long length = TextTokens + video.shape[1];
        sequence = new JointSequence(textMask, cos, sin, [length], SequenceShard.Whole.Exchange);
    }

    public MMDiTBlock[] Blocks { get; }

    /// <summary>Bytes of one block's inputs [text, video, emb].</summary>
    public long InputBytes => (text.NumberOfElements + video.NumberOfElements + emb.NumberOfElements) * sizeof(float);

    /// <summary>Runs one block the way the DiT does.</summary>
    public Func<Tensor[], Tensor[]> Runner(MMDiTBlock block) => xs =>
    {
        var (t, v) = block.Forward(xs[0], xs[1], xs[2], sequence, windows: null);
        return [t, v];
    };

    /// <summary>The loss and the gradients of [text, video, emb, every parameter in block order].</summary>
    public (float Loss, Tensor[] Grads) Step(ActivationCheckpointing? mlac = null, Func<int, Func<Tensor[], Tensor[]>, Func<Tensor[], Tensor[]>>? wrap = null)
    {
        using var scope = NewDisposeScope();
        var loss = Forward(mlac, wrap, out var leaves);
        if (mlac is null) loss.backward();
        else mlac.Backward(loss);
        var grads = leaves.Concat(Parameters).Select(p => p.grad is null ? zeros_like(p) : p.grad.clone()).ToArray();
        foreach (var g in grads) g.MoveToOuterDisposeScope();
        return (loss.item<float>(), grads);
    }

    /// <summary>Forward only; the caller owns (and disposes) the returned loss' graph.</summary>
    public Tensor Forward(ActivationCheckpointing? mlac, Func<int, Func<Tensor[], Tensor[]>, Func<Tensor[], Tensor[]>>? wrap, out Tensor[] leaves)
    {
        foreach (var b in Blocks) b.zero_grad();
        var t = text.clone().requires_grad_();
        var v = video.clone().requires_grad_();
        var e = emb.clone().requires_grad_();
        leaves = [t, v, e];
        Tensor[] x = [t, v];
        for (int i = 0; i < Blocks.Length; i++)
        {
            var run = wrap is null ? Runner(Blocks[i]) : wrap(i, Runner(Blocks[i]));
            Tensor[] inputs = [x[0], x[1], e];
            var next = mlac is null ? run(inputs) : mlac.Run(i, Blocks[i], run, inputs);
            // Drop our handles as soon as the next block has run: MLAC must own what it saved.
            if (i > 0) foreach (var y in x) y.Dispose();
            x = next;
        }
        return (x[1] * lossWeight).sum();
    }

    private IEnumerable<Tensor> Parameters => Blocks.SelectMany(b => b.parameters());

    public void Dispose()
    {
        foreach (var b in Blocks) b.Dispose();
        foreach (var t in new[] { text, video, emb, textMask, cos, sin, lossWeight }) t.Dispose();
    }
}
