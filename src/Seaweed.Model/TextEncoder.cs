using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Seaweed.Model;

/// <summary>Pre-norm transformer layer: bidirectional self-attention (padding masked) and SwiGLU.</summary>
internal sealed class TextEncoderLayer : nn.Module
{
    private readonly RMSNorm attn_norm;
    private readonly Linear qkv;
    private readonly Linear proj;
    private readonly RMSNorm mlp_norm;
    private readonly SwiGLU mlp;
    private readonly int heads;

    public TextEncoderLayer(TextEncoderConfig c) : base(nameof(TextEncoderLayer))
    {
        heads = c.Heads;
        attn_norm = new RMSNorm(c.Hidden, c.NormEps);
        qkv = nn.Linear(c.Hidden, 3 * c.Hidden, hasBias: false);
        proj = nn.Linear(c.Hidden, c.Hidden, hasBias: false);
        mlp_norm = new RMSNorm(c.Hidden, c.NormEps);
        mlp = new SwiGLU(c.Hidden, c.MlpHidden);
        RegisterComponents();
    }

    public static long ParameterCount(TextEncoderConfig c) =>
        2L * c.Hidden + 4L * c.Hidden * c.Hidden + SwiGLU.ParameterCount(c.Hidden, c.MlpHidden);

    /// <param name="x">(B, L, d)</param>
    /// <param name="keyMask">(B, 1, 1, L) true where a key may be attended.</param>
    public Tensor Forward(Tensor x, Tensor keyMask)
    {
        using var scope = NewDisposeScope();
        var qkvHeads = MMDiTBlock.SplitHeads(qkv.call(attn_norm.call(x)), heads);
        long b = x.shape[0], l = x.shape[1];
        FlopCounter.AddAttention(b * heads, l, l, qkvHeads.shape[^1]);
        var attn = F.scaled_dot_product_attention(qkvHeads[0], qkvHeads[1], qkvHeads[2], keyMask);
        x = x + proj.call(attn.transpose(1, 2).flatten(2));
        x = x + mlp.call(mlp_norm.call(x));
        return x.MoveToOuterDisposeScope();
    }
}

/// <summary>Small bidirectional transformer over <see cref="Tokenizer"/> ids; trained together with the DiT.</summary>
public sealed class TextEncoder : nn.Module
{
    private readonly Embedding token_embed;
    private readonly Parameter position_embed;
    private readonly ModuleList<TextEncoderLayer> layers;
    private readonly RMSNorm final_norm;

    public TextEncoderConfig Config { get; }

    public TextEncoder(TextEncoderConfig config) : base(nameof(TextEncoder))
    {
        config.Validate("text");
        Config = config;
        token_embed = nn.Embedding(config.VocabSize, config.Hidden);
        position_embed = nn.Parameter(randn(config.MaxTokens, config.Hidden) * 0.02);
        layers = new ModuleList<TextEncoderLayer>();
        for (int i = 0; i < config.Layers; i++) layers.Add(new TextEncoderLayer(config));
        final_norm = new RMSNorm(config.Hidden, config.NormEps);
        RegisterComponents();
    }

    public static long ParameterCount(TextEncoderConfig c) =>
        (long)(c.VocabSize + c.MaxTokens) * c.Hidden + c.Layers * TextEncoderLayer.ParameterCount(c) + c.Hidden;

    /// <summary>(B, L) int64 ids and (B, L) bool mask, true for real tokens → (B, L, hidden).</summary>
    public Tensor Forward(Tensor ids, Tensor mask)
    {
        if (ids.dim() != 2 || ids.dtype != ScalarType.Int64)
            throw new ConfigException("text.ids", $"expected (B, L) int64, got {ids.dtype} [{string.Join(",", ids.shape)}]");
        long b = ids.shape[0], l = ids.shape[1];
        if (l > Config.MaxTokens) throw new ConfigException("text.tokens", $"{l} tokens exceed text.maxTokens {Config.MaxTokens}");
        // A float mask would be added to the attention scores instead of selecting keys.
        if (mask.dtype != ScalarType.Bool)
            throw new ConfigException("text.mask", $"must be bool (true for real tokens), got {mask.dtype}");
        if (!mask.shape.SequenceEqual(ids.shape))
            throw new ConfigException("text.mask", $"expected [{b},{l}] to match the ids, got [{string.Join(",", mask.shape)}]");
        using var scope = NewDisposeScope();
        if (ids.numel() > 0)
        {
            long min = ids.min().item<long>(), max = ids.max().item<long>();
            if (min < 0 || max >= Config.VocabSize)
                throw new ConfigException("text.ids", $"ids span [{min}, {max}], outside the vocabulary [0, {Config.VocabSize})");
        }
        var x = token_embed.call(ids) + position_embed[..(int)l].unsqueeze(0);
        var keyMask = mask.view(b, 1, 1, l);
        foreach (var layer in layers) x = layer.Forward(x, keyMask);
        return final_norm.call(x).MoveToOuterDisposeScope();
    }

    /// <summary>Encodes tokenized prompts into a batch: (ids, mask) tensors on <paramref name="device"/>.</summary>
    public static (Tensor Ids, Tensor Mask) Batch(IReadOnlyList<TokenizedText> texts, Device? device = null)
    {
        if (texts.Count == 0) throw new ArgumentException("needs at least one tokenized text", nameof(texts));
        int length = texts[0].Ids.Length;
        if (texts.Any(t => t.Ids.Length != length || t.Mask.Length != length))
            throw new ArgumentException($"every text must have {length} ids and mask entries, as the first does", nameof(texts));
        var ids = tensor(texts.SelectMany(t => t.Ids).ToArray(), [texts.Count, length], device: device);
        var mask = tensor(texts.SelectMany(t => t.Mask).ToArray(), [texts.Count, length], device: device);
        return (ids, mask);
    }
}
