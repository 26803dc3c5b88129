using Seaweed.Kernels;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Seaweed.Model;

/// <summary>What the DiT sees for one batch.</summary>
/// <param name="Latent">(B, C, F, H, W) noisy latent x_t.</param>
/// <param name="Condition">(B, C, F, H, W) clean condition latent (zeros for T2V).</param>
/// <param name="ConditionMask">(B, 1, F, H, W) 1 where <paramref name="Condition"/> holds a given frame.</param>
/// <param name="Time">(B) flow time t in [0, 1].</param>
/// <param name="Text">(B, L_text, D_text) text encoder output.</param>
/// <param name="TextMask">(B, L_text) true for real tokens.</param>
public sealed record DitInput(Tensor Latent, Tensor Condition, Tensor ConditionMask, Tensor Time, Tensor Text, Tensor TextMask)
{
    /// <summary>
    /// Throws <see cref="ConfigException"/> naming the first field whose shape or dtype does not fit
    /// <paramref name="config"/>; mismatches would otherwise broadcast or be added silently.
    /// </summary>
    public DitInput Validate(SeaweedConfig config)
    {
        static string Shape(Tensor t) => $"[{string.Join(",", t.shape)}]";
        long channels = config.Vae.LatentChannels;
        if (Latent.dim() != 5 || Latent.shape[1] != channels)
            throw new ConfigException("latent", $"expected (B, {channels}, F, H, W), got {Shape(Latent)}");
        long b = Latent.shape[0], f = Latent.shape[2], h = Latent.shape[3], w = Latent.shape[4];
        int[] p = config.Dit.Patch;
        if (f % p[0] != 0 || h % p[1] != 0 || w % p[2] != 0)
            throw new ConfigException("latent", $"shape {Shape(Latent)} is not divisible by dit.patch [{string.Join(",", p)}]");
        if (!Condition.shape.SequenceEqual(Latent.shape))
            throw new ConfigException("condition", $"expected the latent's shape {Shape(Latent)}, got {Shape(Condition)}");
        if (!ConditionMask.shape.SequenceEqual(new[] { b, 1, f, h, w }))
            throw new ConfigException("conditionMask", $"expected [{b},1,{f},{h},{w}], got {Shape(ConditionMask)}");
        if (Time.dim() != 1 || Time.shape[0] != b)
            throw new ConfigException("time", $"expected ({b}), one time per latent, got {Shape(Time)}");
        if (Text.dim() != 3 || Text.shape[0] != b || Text.shape[2] != config.Text.Hidden)
            throw new ConfigException("text", $"expected ({b}, L_text, {config.Text.Hidden}), got {Shape(Text)}");
        if (TextMask.dtype != ScalarType.Bool)
            throw new ConfigException("textMask", $"must be bool (true for real tokens), got {TextMask.dtype}");
        if (!TextMask.shape.SequenceEqual(new[] { b, Text.shape[1] }))
            throw new ConfigException("textMask", $"expected [{b},{Text.shape[1]}] to match text, got {Shape(TextMask)}");
        return this;
    }

    /// <summary>(L_text, N): the text tokens and the video tokens of the patch grid; the joint sequence is [text, video].</summary>
    public (long Text, long Video) Tokens(int[] patch) =>
        (Text.shape[1], Latent.shape[2] / patch[0] * (Latent.shape[3] / patch[1]) * (Latent.shape[4] / patch[2]));
}

/// <summary>
/// The weights one token stream uses in one layer: QKV + QK-norm + output projection, SwiGLU, and the
/// layer's learned AdaSingle offsets (6, d) = shift/scale/gate for attention, then for the MLP.
/// </summary>
internal sealed class StreamWeights : nn.Module
{
    public readonly Linear qkv;
    public readonly RMSNorm q_norm;
    public readonly RMSNorm k_norm;
    public readonly Linear proj;
    public readonly RMSNorm norm;
    public readonly SwiGLU mlp;
    public readonly Parameter modulation;

    public StreamWeights(DitConfig c) : base(nameof(StreamWeights))
    {
        qkv = nn.Linear(c.Hidden, 3 * c.Hidden, hasBias: false);
        q_norm = new RMSNorm(c.HeadDim, c.NormEps);
        k_norm = new RMSNorm(c.HeadDim, c.NormEps);
        proj = nn.Linear(c.Hidden, c.Hidden, hasBias: false);
        norm = new RMSNorm(c.Hidden, c.NormEps, affine: false);
        mlp = new SwiGLU(c.Hidden, c.MlpHidden);
        // shift 0, scale 1, gate 0: every block starts as the identity (adaLN-zero).
        modulation = nn.Parameter(tensor(new float[] { 0, 1, 0, 0, 1, 0 }).unsqueeze(1).repeat(1, c.Hidden));
        RegisterComponents();
    }

    public static long ParameterCount(DitConfig c) =>
        4L * c.Hidden * c.Hidden + 2L * c.HeadDim + SwiGLU.ParameterCount(c.Hidden, c.MlpHidden) + 6L * c.Hidden;
}

/// <summary>
/// One MM-DiT layer. Dual-stream: text and video tokens use separate <see cref="StreamWeights"/>; shared: one set
/// serves both. Either way attention is joint over [text, video].
/// </summary>
public sealed class MMDiTBlock : nn.Module
{
    private readonly StreamWeights? text;
    private readonly StreamWeights? video;
    private readonly StreamWeights? shared;
    private readonly int heads;
    private readonly KernelMode kernels;

    public bool IsShared => shared is not null;

    public MMDiTBlock(DitConfig c, bool sharedWeights) : base(nameof(MMDiTBlock))
    {
        heads = c.Heads;
        kernels = c.KernelMode;
        if (sharedWeights) shared = new StreamWeights(c);
        else
        {
            text = new StreamWeights(c);
            video = new StreamWeights(c);
        }
        RegisterComponents();
    }

    /// <summary>
    /// One layer over this rank's tokens: text-stream weights for its text tokens, video (or shared) weights for its
    /// video tokens; attention is joint over the whole sequence via <see cref="JointSequence.Exchange"/>.
    /// </summary>
    /// <param name="xText">(B, T_local, d) this rank's text tokens (all of them without sequence sharding).</param>
    /// <param name="xVideo">(B, N_local, d) this rank's video tokens.</param>
    /// <param name="emb">(B, 6, d) shared AdaSingle embedding of t.</param>
    /// <param name="windows">null for full attention.</param>
    public (Tensor Text, Tensor Video) Forward(Tensor xText, Tensor xVideo, Tensor emb, JointSequence sequence, WindowPartition? windows)
    {
        using var scope = NewDisposeScope();
        long textLen = xText.shape[1];
        // Shared layers run the whole sequence through one set of weights in one matmul.
        (StreamWeights W, Tensor X)[] segments = shared is not null
            ? [(shared, torch.cat([xText, xVideo], 1))]
            : [(text!, xText), (video!, xVideo)];

        var mods = segments.Select(s => (emb + s.W.modulation).unbind(1)).ToArray(); // 6 × (B, d)
        var ops = DitOps.For(kernels, xVideo);
        var q = new List<Tensor>();
        var k = new List<Tensor>();
        var v = new List<Tensor>();
        long start = 0;
        for (int i = 0; i < segments.Length; i++)
        {
            var (w, x) = segments[i];
            long len = x.shape[1];
            var qkv = w.qkv.call(ops.Modulate(x, w.norm, mods[i][1], mods[i][0])); // (B, L, 3·d)
            // RoPE is per token: each segment takes the angles of its own positions in the joint sequence.
            var (qi, ki) = ops.QkNormRope(qkv, w.q_norm, w.k_norm, sequence.RopeCos.narrow(0, start, len), sequence.RopeSin.narrow(0, start, len), heads);
            q.Add(qi);
            k.Add(ki);
            v.Add(SplitHeads(qkv, heads)[2]);
            start += len;
        }
        // (B, heads, L_local, hd) → (B, heads/P, L, hd): attention sees every token, masks and windows unchanged.
        var (qAll, kAll, vAll) = sequence.Exchange.ToHeadShards(torch.cat(q, 2), torch.cat(k, 2), torch.cat(v, 2), sequence.Lengths);
        var attn = sequence.Exchange.ToSequenceShards(
                JointAttention.Compute(qAll, kAll, vAll, sequence.TextMask, windows, sequence.Kernel), sequence.Lengths)
            .transpose(1, 2).flatten(2); // (B, L_local, d)

        var outputs = new Tensor[segments.Length];
        long offset = 0;
        for (int i = 0; i < segments.Length; i++)
        {
            var (w, x) = segments[i];
            long len = x.shape[1];
            var a = attn[.., (int)offset..(int)(offset + len)];
            offset += len;
            x = ops.GatedResidual(x, mods[i][2], w.proj.call(a));
            x = ops.GatedResidual(x, mods[i][5], w.mlp.Forward(ops.Modulate(x, w.norm, mods[i][4], mods[i][3]), ops));
            outputs[i] = x;
        }
        var (outText, outVideo) = outputs.Length == 1
            ? (outputs[0][.., ..(int)textLen], outputs[0][.., (int)textLen..])
            : (outputs[0], outputs[1]);
        return (outText.MoveToOuterDisposeScope(), outVideo.MoveToOuterDisposeScope());
    }

    /// <summary>(B, L, 3·d) → (3, B, heads, L, d/heads).</summary>
    internal static Tensor SplitHeads(Tensor qkv, int heads)
    {
        long b = qkv.shape[0], l = qkv.shape[1], headDim = qkv.shape[2] / (3 * heads);
        return qkv.view(b, l, 3, heads, headDim).permute(2, 0, 3, 1, 4);
    }

    /// <summary>AdaSingle: normed · scale + shift, with scale = learned offset (≈1) + shared embedding.</summary>
    internal static Tensor Modulate(Tensor normed, Tensor scale, Tensor shift) =>
        normed * scale.unsqueeze(1) + shift.unsqueeze(1);
}

/// <summary>
/// Hybrid-stream MM-DiT (Seaweed §3.2): patchified [x_t, condition, mask] video tokens and projected text tokens
/// go through <c>dualStreamLayers</c> dual-stream layers, then shared layers; AdaSingle timestep modulation;
/// MM-RoPE; full or window attention. Predicts the flow velocity ε − x0 with the latent's shape.
/// </summary>
public sealed class HybridStreamDiT : nn.Module
{
    private readonly Linear patch_embed;
    private readonly Linear text_embed;
    private readonly Linear time_in;
    private readonly Linear time_hidden;
    private readonly Linear time_modulation;
    private readonly ModuleList<MMDiTBlock> blocks;
    private readonly RMSNorm final_norm;
    private readonly Parameter final_modulation;
    private readonly Linear final_proj;

    public SeaweedConfig Config { get; }
    private DitConfig D => Config.Dit;

    public HybridStreamDiT(SeaweedConfig config) : base(nameof(HybridStreamDiT))
    {
        Config = config.Validate();
        var d = config.Dit;
        long patchVolume = d.Patch[0] * d.Patch[1] * d.Patch[2];
        patch_embed = nn.Linear(config.DitInputChannels * patchVolume, d.Hidden);
        text_embed = nn.Linear(config.Text.Hidden, d.Hidden);
        time_in = nn.Linear(d.TimestepFrequencyDim, d.Hidden);
        time_hidden = nn.Linear(d.Hidden, d.Hidden);
        time_modulation = nn.Linear(d.Hidden, 6 * d.Hidden);
        blocks = new ModuleList<MMDiTBlock>();
        for (int i = 0; i < d.Layers; i++) blocks.Add(new MMDiTBlock(d, sharedWeights: i >= d.DualStreamLayers));
        final_norm = new RMSNorm(d.Hidden, d.NormEps, affine: false);
        final_modulation = nn.Parameter(tensor(new float[] { 0, 1 }).unsqueeze(1).repeat(1, d.Hidden)); // shift, scale
        final_proj = nn.Linear(d.Hidden, patchVolume * config.Vae.LatentChannels);
        using (no_grad())
        {
            nn.init.zeros_(time_modulation.weight);
            nn.init.zeros_(time_modulation.bias);
            nn.init.zeros_(final_proj.weight);
            nn.init.zeros_(final_proj.bias);
        }
        RegisterComponents();
    }

    public IReadOnlyList<MMDiTBlock> Blocks => blocks.ToList();

    /// <summary>Predicted velocity (B, C, F, H, W). A sequence shard covers only part of it: use <see cref="ForwardTokens"/>.</summary>
    public Tensor Forward(DitInput input, DitExecution? execution = null)
    {
        if (execution?.Shard is { Count: > 1 })
            throw new ConfigException("execution.shard", "a sequence shard predicts only its own video tokens: call ForwardTokens");
        using var tokens = ForwardValidated(input.Validate(Config), execution);
        using var scope = NewDisposeScope();
        var x = input.Latent;
        int[] p = D.Patch;
        var grid = ((int)x.shape[2] / p[0], (int)x.shape[3] / p[1], (int)x.shape[4] / p[2]);
        return Unpatchify(tokens, grid, p, Config.Vae.LatentChannels).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Predicted velocity of this rank's video tokens, (B, N_local, C·pt·ph·pw) in <see cref="Patchify"/> order:
    /// every token without a shard. Under a <see cref="SequenceShard"/> the rank embeds and runs only its tokens of
    /// the joint [text, video] sequence; attention still covers all of them through the shard's exchange.
    /// </summary>
    public Tensor ForwardTokens(DitInput input, DitExecution? execution = null) => ForwardValidated(input.Validate(Config), execution);

    private Tensor ForwardValidated(DitInput input, DitExecution? execution)
    {
        var shard = execution?.Shard ?? SequenceShard.Whole;
        var runner = execution?.Runner ?? DitExecution.Direct;
        var (textLen, videoLen) = input.Tokens(D.Patch);
        var span = shard.Validate(D, textLen + videoLen).Span(textLen, videoLen);
        var x = input.Latent;
        long batch = x.shape[0];
        int[] p = D.Patch;
        var grid = (F: (int)x.shape[2] / p[0], H: (int)x.shape[3] / p[1], W: (int)x.shape[4] / p[2]);

        // Block closures keep the RoPE angles, and a checkpointing runner calls them again during backward: they
        // belong to the caller's scope, not to this forward's.
        Tensor cos, sin;
        using (NewDisposeScope())
        {
            var positions = MMRope.Positions((int)textLen, grid.F, grid.H, grid.W, x.device).narrow(0, span.Start, span.Length);
            (cos, sin) = MMRope.Angles(positions, D.HeadDim, D.RopeTheta);
            cos.MoveToOuterDisposeScope();
            sin.MoveToOuterDisposeScope();
        }
        var sequence = new JointSequence(input.TextMask, cos, sin, shard.Lengths(textLen + videoLen), shard.Exchange, execution?.Attention);

        using var scope = NewDisposeScope();
        // Every cp rank holds the whole sample: patchify it all (a reshape), embed only this rank's tokens.
        var patches = Patchify(torch.cat([x, input.Condition, input.ConditionMask], 1), p); // (B, N, C_in·pt·ph·pw)
        var video = patch_embed.call(patches.narrow(1, span.VideoStart, span.VideoLength));
        var text = text_embed.call(input.Text.narrow(1, span.TextStart, span.TextLength));
        // AdaSingle: one embedding per sample, applied to whichever of its tokens this rank holds.
        var tEmb = time_hidden.call(nn.functional.silu(time_in.call(TimestepEmbedding.Sinusoidal(input.Time, D.TimestepFrequencyDim))));
        var emb = time_modulation.call(nn.functional.silu(tEmb)).view(batch, 6, D.Hidden);

        for (int i = 0; i < blocks.Count; i++)
        {
            var block = blocks[i];
            var windows = D.Attention == "window" ? WindowPartition.Create(grid, WindowPartition.CountsForLayer(i)) : null;
            var outputs = runner(i, block, inputs =>
            {
                var (t, v) = block.Forward(inputs[0], inputs[1], inputs[2], sequence, windows);
                return [t, v];
            }, [text, video, emb]);
            (text, video) = (outputs[0], outputs[1]);
        }

        var mod = (final_modulation + tEmb.unsqueeze(1)).unbind(1); // shift, scale: (B, d)
        return final_proj.call(DitOps.For(D.KernelMode, video).Modulate(video, final_norm, mod[1], mod[0])).MoveToOuterDisposeScope();
    }

    /// <summary>(B, C, F, H, W) → (B, F/pt·H/ph·W/pw, C·pt·ph·pw), tokens in (f, h, w) row-major order.</summary>
    public static Tensor Patchify(Tensor x, int[] p)
    {
        long b = x.shape[0], c = x.shape[1];
        long f = x.shape[2] / p[0], h = x.shape[3] / p[1], w = x.shape[4] / p[2];
        return x.reshape(b, c, f, p[0], h, p[1], w, p[2])
            .permute(0, 2, 4, 6, 1, 3, 5, 7)
            .reshape(b, f * h * w, c * p[0] * p[1] * p[2]);
    }

    public static Tensor Unpatchify(Tensor tokens, (int F, int H, int W) grid, int[] p, long channels)
    {
        long b = tokens.shape[0];
        return tokens.reshape(b, grid.F, grid.H, grid.W, channels, p[0], p[1], p[2])
            .permute(0, 4, 1, 5, 2, 6, 3, 7)
            .reshape(b, channels, grid.F * p[0], grid.H * p[1], grid.W * p[2]);
    }

    /// <summary>Parameter count from the configuration alone (no allocation): usable for the 7B preset.</summary>
    public static long ParameterCount(SeaweedConfig config)
    {
        var d = config.Dit;
        long h = d.Hidden;
        long patchVolume = d.Patch[0] * d.Patch[1] * d.Patch[2];
        long outPerToken = patchVolume * config.Vae.LatentChannels;
        long embed = (config.DitInputChannels * patchVolume + 1) * h + (config.Text.Hidden + 1) * h;
        long time = (d.TimestepFrequencyDim + 1) * h + (h + 1) * h + (h + 1) * 6 * h;
        long streams = d.Layers + d.DualStreamLayers; // a dual-stream layer holds two sets of weights
        long final = 2 * h + (h + 1) * outPerToken;
        return embed + time + streams * StreamWeights.ParameterCount(d) + final;
    }
}
