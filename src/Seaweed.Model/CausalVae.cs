using Seaweed.Model.Tiling;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Seaweed.Model;

/// <summary>
/// State carried between temporal chunks of a streaming decode: each causal conv keeps the last kT−1 frames it
/// saw, and each temporal upsampler remembers whether it has emitted the first (single) frame yet. One cache
/// serves one video: use after <see cref="Dispose"/> throws, since emptied state would restart the stream mid-video.
/// A cache made with <paramref name="tiles"/> decodes one tile of a tiled decode: its convs take halos from the
/// neighbouring tiles instead of zero padding, and its norms use the whole frame's statistics.
/// </summary>
public sealed class FrameCache(ITileExchange? tiles = null) : IDisposable
{
    private readonly Dictionary<object, Tensor> tails = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<object> started = new(ReferenceEqualityComparer.Instance);
    private bool disposed;

    internal ITileExchange? Tiles => tiles;

    internal Tensor? Tail(object owner)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return tails.GetValueOrDefault(owner);
    }

    internal void SetTail(object owner, Tensor tail)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (tails.Remove(owner, out var old)) old.Dispose();
        tails[owner] = tail.detach().clone().DetachFromDisposeScope();
    }

    /// <summary>True on the owner's first chunk; marks it started.</summary>
    internal bool IsFirstChunk(object owner)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return started.Add(owner);
    }

    public void Dispose()
    {
        disposed = true;
        foreach (var t in tails.Values) t.Dispose();
        tails.Clear();
        started.Clear();
    }
}

/// <summary>A VAE stage that maps (B, C, T, H, W) causally in time, optionally streaming through a cache.</summary>
public abstract class CausalModule(string name) : nn.Module(name)
{
    public abstract Tensor Forward(Tensor x, FrameCache? cache = null);
}

/// <summary>
/// 3-D convolution that is causal in time: the kT−1 frames before each chunk come from the cache, or, at the start
/// of a video, repeat the first frame (so frame 0 only ever sees itself). Spatial padding is zero, "same"; a tile of
/// a tiled decode is padded with its neighbours' rows and columns instead.
/// </summary>
public sealed class CausalConv3d : CausalModule
{
    private readonly Conv3d conv;
    private readonly int timePad;
    private readonly int timeStride;
    private readonly (int H, int W) spatialPad;
    private readonly bool spatialStride;

    public CausalConv3d(long inChannels, long outChannels, (int T, int H, int W) kernel, (int T, int H, int W) stride)
        : base(nameof(CausalConv3d))
    {
        conv = nn.Conv3d(inChannels, outChannels, (kernel.T, kernel.H, kernel.W),
            stride: (stride.T, stride.H, stride.W), padding: (0, kernel.H / 2, kernel.W / 2));
        timePad = kernel.T - 1;
        timeStride = stride.T;
        spatialPad = (kernel.H / 2, kernel.W / 2);
        spatialStride = stride.H != 1 || stride.W != 1;
        RegisterComponents();
    }

    public CausalConv3d(long inChannels, long outChannels, int kernel = 3) : this(inChannels, outChannels, (kernel, kernel, kernel), (1, 1, 1)) { }

    /// <summary>Rows and columns of zero padding on each side: the halo a tile needs from each neighbour.</summary>
    internal (int H, int W) SpatialPad => spatialPad;

    public override Tensor Forward(Tensor x, FrameCache? cache = null)
    {
        using var scope = NewDisposeScope();
        // The halo comes before the causal front, so cached tails carry theirs into the next chunk.
        var tiles = spatialPad != (0, 0) ? cache?.Tiles : null;
        if (tiles is not null)
        {
            if (spatialStride) throw new NotSupportedException("tiled decode needs spatial stride 1");
            x = tiles.PadWithHalo(x, spatialPad.H, spatialPad.W);
        }
        if (timePad > 0 && x.shape[2] == 1 && tiles is null && cache?.Tail(this) is null)
            return SingleFrame(x, cache).MoveToOuterDisposeScope();
        if (timePad > 0)
        {
            var tail = cache?.Tail(this);
            if (tail is not null && timeStride != 1)
                throw new InvalidOperationException("streaming is supported only for temporal stride 1");
            var front = tail ?? x[.., .., ..1].expand(-1, -1, timePad, -1, -1);
            x = cat([front, x], 2);
            if (cache is not null) cache.SetTail(this, x[.., .., ^timePad..]);
        }
        var y = tiles is null ? conv.call(x) : F.conv3d(x, conv.weight!, conv.bias, strides: [1, 1, 1]);
        return y.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// A lone first frame (an image, or a video's first chunk of one frame) sees kT copies of itself, so the 3-D
    /// convolution is a 2-D one with the kernel summed over time: a kT-th of the work, forward and backward.
    /// </summary>
    private Tensor SingleFrame(Tensor x, FrameCache? cache)
    {
        if (cache is not null) cache.SetTail(this, x.expand(-1, -1, timePad, -1, -1));
        var stride = conv.stride!;
        var y = F.conv2d(x.squeeze(2), conv.weight!.sum(2), conv.bias,
            strides: [stride[1], stride[2]], padding: [spatialPad.H, spatialPad.W]);
        return y.unsqueeze(2);
    }
}

/// <summary>
/// GroupNorm applied to each frame separately, so normalisation never mixes frames (keeps causality).
/// Owns its affine parameters: TorchSharp 0.107's nn.GroupNorm leaves them uninitialised. In a tiled decode the
/// statistics of each frame are those of the whole frame, gathered from every tile.
/// </summary>
public sealed class FrameGroupNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly int groups;
    private const double Eps = 1e-6;

    public FrameGroupNorm(int groups, long channels) : base(nameof(FrameGroupNorm))
    {
        this.groups = groups;
        weight = nn.Parameter(ones(channels));
        bias = nn.Parameter(zeros(channels));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], c = x.shape[1], t = x.shape[2], h = x.shape[3], w = x.shape[4];
        var frames = x.transpose(1, 2).reshape(b * t, c, h, w);
        var normed = F.group_norm(frames, groups, weight, bias, eps: Eps);
        return normed.reshape(b, t, c, h, w).transpose(1, 2).MoveToOuterDisposeScope();
    }

    /// <summary>As <see cref="forward"/>, or over the whole frame when <paramref name="cache"/> decodes one tile.</summary>
    public Tensor Forward(Tensor x, FrameCache? cache) =>
        cache?.Tiles is { } tiles ? TileNorm.Forward(x, groups, weight, bias, Eps, tiles) : call(x);
}

public sealed class ResBlock3d : CausalModule
{
    private readonly FrameGroupNorm norm1;
    private readonly CausalConv3d conv1;
    private readonly FrameGroupNorm norm2;
    private readonly CausalConv3d conv2;
    private readonly CausalConv3d? shortcut;

    public ResBlock3d(long inChannels, long outChannels, int groups) : base(nameof(ResBlock3d))
    {
        norm1 = new FrameGroupNorm(groups, inChannels);
        conv1 = new CausalConv3d(inChannels, outChannels);
        norm2 = new FrameGroupNorm(groups, outChannels);
        conv2 = new CausalConv3d(outChannels, outChannels);
        if (inChannels != outChannels) shortcut = new CausalConv3d(inChannels, outChannels, kernel: 1);
        RegisterComponents();
    }

    public override Tensor Forward(Tensor x, FrameCache? cache = null)
    {
        using var scope = NewDisposeScope();
        var h = conv1.Forward(F.silu(norm1.Forward(x, cache)), cache);
        h = conv2.Forward(F.silu(norm2.Forward(h, cache)), cache);
        var skip = shortcut is null ? x : shortcut.Forward(x, cache);
        return (skip + h).MoveToOuterDisposeScope();
    }
}

/// <summary>Spatial ×2 (and temporal ×2 when <c>temporal</c>) by a strided causal conv: 1 + 2k frames → 1 + k.</summary>
public sealed class Downsample3d : CausalModule
{
    private readonly CausalConv3d conv;

    public Downsample3d(long channels, bool temporal) : base(nameof(Downsample3d))
    {
        conv = new CausalConv3d(channels, channels, (temporal ? 3 : 1, 3, 3), (temporal ? 2 : 1, 2, 2));
        RegisterComponents();
    }

    public override Tensor Forward(Tensor x, FrameCache? cache = null) => conv.Forward(x, cache);
}

/// <summary>
/// Spatial ×2 by nearest upsampling + conv; temporal ×2 by a conv to 2C channels unfolded into two frames per
/// input frame, dropping the extra frame of the very first one: 1 + k frames → 1 + 2k.
/// </summary>
public sealed class Upsample3d : CausalModule
{
    private readonly CausalConv3d conv;
    private readonly bool temporal;

    public Upsample3d(long channels, bool temporal) : base(nameof(Upsample3d))
    {
        this.temporal = temporal;
        conv = new CausalConv3d(channels, temporal ? 2 * channels : channels);
        RegisterComponents();
    }

    public override Tensor Forward(Tensor x, FrameCache? cache = null)
    {
        using var scope = NewDisposeScope();
        x = F.interpolate(x, scale_factor: [1, 2, 2], mode: InterpolationMode.Nearest);
        x = conv.Forward(x, cache);
        bool first = cache?.IsFirstChunk(this) ?? true;
        if (temporal)
        {
            long b = x.shape[0], c = x.shape[1] / 2, t = x.shape[2], h = x.shape[3], w = x.shape[4];
            x = x.view(b, 2, c, t, h, w).permute(0, 2, 3, 1, 4, 5).reshape(b, c, 2 * t, h, w);
            if (first) x = x[.., .., 1..];
        }
        return x.MoveToOuterDisposeScope();
    }
}

/// <summary>Posterior N(mean, exp(logvar)) over the latent.</summary>
public sealed record LatentDistribution(Tensor Mean, Tensor LogVar)
{
    public Tensor Sample(Generator? generator = null) =>
        Mean + exp(0.5 * LogVar) * randn(Mean.shape, dtype: Mean.dtype, device: Mean.device, generator: generator);

    /// <summary>KL divergence to N(0, I), averaged over elements.</summary>
    public Tensor KL() => 0.5 * (Mean.pow(2) + LogVar.exp() - 1 - LogVar).mean();
}

/// <summary>
/// Causal 3-D convolutional VAE (Seaweed §3.1). Input (B, 3, 1 + dt·k, H, W) in [−1, 1] → latent
/// (B, C, 1 + k, H/ds, W/ds). The first frame is encoded alone, so an image is a 1-frame video.
/// </summary>
public sealed class CausalVae : nn.Module
{
    private readonly CausalConv3d encoder_in;
    private readonly ModuleList<CausalModule> encoder;
    private readonly FrameGroupNorm encoder_norm;
    private readonly CausalConv3d encoder_out;
    private readonly CausalConv3d decoder_in;
    private readonly ModuleList<CausalModule> decoder;
    private readonly FrameGroupNorm decoder_norm;
    private readonly CausalConv3d decoder_out;

    public VaeConfig Config { get; }

    public CausalVae(VaeConfig config) : base(nameof(CausalVae))
    {
        config.Validate("vae");
        Config = config;
        int[] ch = config.Channels;
        int temporalStages = (int)Math.Log2(config.TemporalDownsample);
        int groups = config.NormGroups;

        encoder_in = new CausalConv3d(3, ch[0]);
        encoder = new ModuleList<CausalModule>();
        int prev = ch[0];
        for (int level = 0; level < ch.Length; level++)
        {
            for (int r = 0; r < config.ResBlocksPerLevel; r++, prev = ch[level]) encoder.Add(new ResBlock3d(prev, ch[level], groups));
            if (level < ch.Length - 1) encoder.Add(new Downsample3d(ch[level], temporal: level < temporalStages));
        }
        encoder.Add(new ResBlock3d(prev, prev, groups));
        encoder_norm = new FrameGroupNorm(groups, prev);
        encoder_out = new CausalConv3d(prev, 2 * config.LatentChannels);

        decoder_in = new CausalConv3d(config.LatentChannels, ch[^1]);
        decoder = new ModuleList<CausalModule> { new ResBlock3d(ch[^1], ch[^1], groups) };
        prev = ch[^1];
        for (int level = ch.Length - 1; level >= 0; level--)
        {
            for (int r = 0; r < config.ResBlocksPerLevel; r++, prev = ch[level]) decoder.Add(new ResBlock3d(prev, ch[level], groups));
            if (level > 0) decoder.Add(new Upsample3d(ch[level], temporal: level - 1 < temporalStages));
        }
        decoder_norm = new FrameGroupNorm(groups, prev);
        decoder_out = new CausalConv3d(prev, 3);
        RegisterComponents();
    }

    /// <summary>Latent (frames, height, width) for a pixel video of the given size.</summary>
    public (int Frames, int Height, int Width) LatentShape(int frames, int height, int width)
    {
        int dt = Config.TemporalDownsample, ds = Config.SpatialDownsample;
        if ((frames - 1) % dt != 0) throw new ConfigException("video.frames", $"{frames} frames is not 1 + {dt}·k");
        if (height % ds != 0) throw new ConfigException("video.height", $"{height} is not a multiple of {ds}");
        if (width % ds != 0) throw new ConfigException("video.width", $"{width} is not a multiple of {ds}");
        return (1 + (frames - 1) / dt, height / ds, width / ds);
    }

    /// <summary>
    /// VAE latent (e.g. the posterior mean) → the latent the DiT models: × vae.latentScale, which brings it to
    /// roughly unit variance to match the flow's N(0, I) noise. <see cref="FromDiffusionLatent"/> undoes it.
    /// </summary>
    public Tensor ToDiffusionLatent(Tensor latent) => latent * Config.LatentScale;

    /// <summary>A DiT latent (sampled or given) → the VAE latent <see cref="Decode"/> expects: ÷ vae.latentScale.</summary>
    public Tensor FromDiffusionLatent(Tensor latent) => latent / Config.LatentScale;

    public LatentDistribution Encode(Tensor video)
    {
        if (video.dim() != 5 || video.shape[1] != 3)
            throw new ConfigException("video", $"expected (B, 3, T, H, W), got [{string.Join(",", video.shape)}]");
        LatentShape((int)video.shape[2], (int)video.shape[3], (int)video.shape[4]);
        using var scope = NewDisposeScope();
        var h = encoder_in.Forward(video);
        foreach (var stage in encoder) h = stage.Forward(h);
        var moments = encoder_out.Forward(F.silu(encoder_norm.call(h))).chunk(2, 1);
        return new LatentDistribution(moments[0].MoveToOuterDisposeScope(), moments[1].clamp(-30, 20).MoveToOuterDisposeScope());
    }

    /// <summary>Latent (B, C, 1 + k, h, w) → video (B, 3, 1 + dt·k, H, W). Streams when given a cache.</summary>
    public Tensor Decode(Tensor latent, FrameCache? cache = null)
    {
        if (latent.dim() != 5 || latent.shape[1] != Config.LatentChannels)
            throw new ConfigException("latent", $"expected (B, {Config.LatentChannels}, T, H, W), got [{string.Join(",", latent.shape)}]");
        using var scope = NewDisposeScope();
        var h = decoder_in.Forward(latent, cache);
        foreach (var stage in decoder) h = stage.Forward(h, cache);
        return decoder_out.Forward(F.silu(decoder_norm.Forward(h, cache)), cache).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Decodes the first latent frame alone, then <paramref name="chunkFrames"/> latent frames at a time,
    /// carrying each causal conv's frame cache across chunks. Equals <see cref="Decode(Tensor, FrameCache?)"/> of
    /// the whole latent; memory grows with the chunk, not the video.
    /// </summary>
    /// <param name="progress">Told the chunks decoded so far after each one (of <see cref="Tiling.FrameChunks.Streaming"/>'s count).</param>
    /// <param name="cancellationToken">Checked before every chunk.</param>
    public Tensor DecodeChunked(Tensor latent, int chunkFrames, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        if (chunkFrames <= 0) throw new ConfigException("chunkFrames", $"{chunkFrames} must be positive");
        if (latent.dim() != 5 || latent.shape[2] == 0)
            throw new ConfigException("latent", $"expected (B, {Config.LatentChannels}, T ≥ 1, H, W), got [{string.Join(",", latent.shape)}]");
        using var cache = new FrameCache();
        var pieces = new List<Tensor>();
        long total = latent.shape[2];
        for (long start = 0; start < total;)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long end = start == 0 ? 1 : Math.Min(total, start + chunkFrames);
            using (var scope = NewDisposeScope())
                pieces.Add(Decode(latent[.., .., (int)start..(int)end], cache).MoveToOuterDisposeScope());
            progress?.Report(pieces.Count);
            start = end;
        }
        var video = cat(pieces, 2);
        foreach (var p in pieces) p.Dispose();
        return video;
    }
}
