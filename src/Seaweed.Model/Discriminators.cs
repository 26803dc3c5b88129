using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Seaweed.Model;

/// <summary>
/// Spectral normalisation (Miyato et al. 2018) of a convolution weight W, viewed as the matrix (out, in·k…):
/// W / σ(W), σ the largest singular value, estimated by power iteration on a persistent vector u. Each forward in
/// training mode runs <see cref="Iterations"/> steps v ← Wᵀu/‖Wᵀu‖, u ← Wv/‖Wv‖ (without gradient), then
/// σ = uᵀWv, through which the gradient flows. In eval mode u stays as it is. TorchSharp has no spectral norm.
/// </summary>
public sealed class SpectralNorm : nn.Module
{
    private readonly Tensor u;

    public SpectralNorm(long rows, int iterations = 1) : base(nameof(SpectralNorm))
    {
        if (rows <= 0) throw new ArgumentOutOfRangeException(nameof(rows), rows, "the weight needs at least one row");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(iterations);
        Iterations = iterations;
        // Drawn from the global generator like the weights, so a seeded construction is reproducible.
        u = F.normalize(randn(rows), dim: 0, eps: 1e-12).DetachFromDisposeScope();
        register_buffer("u", u);
    }

    public int Iterations { get; }

    /// <summary>The current estimate of u (live).</summary>
    public Tensor U => u;

    /// <summary>W / σ(W), with σ estimated from u (updated first when training).</summary>
    public Tensor Normalise(Tensor weight)
    {
        using var scope = NewDisposeScope();
        var matrix = weight.reshape(weight.shape[0], -1);
        if (matrix.shape[0] != u.shape[0])
            throw new ArgumentException($"the weight has {matrix.shape[0]} rows, u has {u.shape[0]}", nameof(weight));
        Tensor v;
        using (no_grad())
        {
            var detached = matrix.detach();
            if (training)
                for (int i = 0; i < Iterations; i++)
                {
                    var vi = F.normalize(mv(detached.t(), u), dim: 0, eps: 1e-12);
                    u.copy_(F.normalize(mv(detached, vi), dim: 0, eps: 1e-12));
                }
            v = F.normalize(mv(detached.t(), u), dim: 0, eps: 1e-12);
        }
        var sigma = dot(u, mv(matrix, v));
        return (weight / sigma).MoveToOuterDisposeScope();
    }

    /// <summary>The estimate σ = uᵀWv for <paramref name="weight"/> from the current u, without updating it.</summary>
    public double Sigma(Tensor weight)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var matrix = weight.reshape(weight.shape[0], -1);
        var v = F.normalize(mv(matrix.t(), u), dim: 0, eps: 1e-12);
        return dot(u, mv(matrix, v)).item<float>();
    }
}

/// <summary>A 2-D or 3-D convolution whose weight is spectrally normalised on every forward; no normalisation layer.</summary>
public sealed class SpectralConv : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly SpectralNorm norm;
    private readonly long[] stride;
    private readonly long[] padding;

    /// <param name="kernel">(kH, kW) for a 2-D convolution or (kT, kH, kW) for a 3-D one.</param>
    public SpectralConv(long inChannels, long outChannels, long[] kernel, long[] stride, long[] padding, int powerIterations)
        : base(nameof(SpectralConv))
    {
        if (kernel.Length is not (2 or 3) || stride.Length != kernel.Length || padding.Length != kernel.Length)
            throw new ArgumentException("kernel, stride and padding must all have 2 or all have 3 entries", nameof(kernel));
        this.stride = stride;
        this.padding = padding;
        // PyTorch's Conv default initialisation: kaiming-uniform weight (a = √5), bias uniform in ±1/√fan_in.
        weight = nn.Parameter(empty([outChannels, inChannels, .. kernel]));
        nn.init.kaiming_uniform_(weight, a: Math.Sqrt(5));
        double bound = 1 / Math.Sqrt(inChannels * kernel.Aggregate(1L, (a, b) => a * b));
        bias = nn.Parameter(empty(outChannels));
        nn.init.uniform_(bias, -bound, bound);
        norm = new SpectralNorm(outChannels, powerIterations);
        RegisterComponents();
    }

    public Parameter Weight => weight;
    public SpectralNorm Norm => norm;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var w = norm.Normalise(weight);
        var y = stride.Length == 2 ? F.conv2d(x, w, bias, stride, padding) : F.conv3d(x, w, bias, stride, padding);
        return y.MoveToOuterDisposeScope();
    }
}

/// <summary>
/// PatchGAN discriminator (Isola et al. 2017) without BatchNorm and with spectral norm on every conv (Seaweed §3.4:
/// BatchNorm makes it too strong for a high-compression VAE). 4-wide kernels; every level but the last halves the
/// spatial size (and, in the video discriminator, the first halves time); LeakyReLU 0.2; a last conv gives one
/// real/fake logit per patch.
/// </summary>
public sealed class PatchDiscriminator : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<SpectralConv> layers = new();

    private PatchDiscriminator(bool video, int[] channels, int powerIterations) : base(video ? "VideoDiscriminator" : "ImageDiscriminator")
    {
        if (channels is not { Length: > 0 } || channels.Any(c => c <= 0))
            throw new ConfigException("channels", "must list at least one positive width");
        IsVideo = video;
        long previous = 3;
        for (int i = 0; i <= channels.Length; i++)
        {
            bool last = i == channels.Length;
            long output = last ? 1 : channels[i];
            long s = !last && i < channels.Length - 1 ? 2 : 1;
            long[] kernel = video ? [3, 4, 4] : [4, 4];
            long[] stride = video ? [i == 1 ? 2 : 1, s, s] : [s, s];
            long[] padding = video ? [1, 1, 1] : [1, 1];
            layers.Add(new SpectralConv(previous, output, kernel, stride, padding, powerIterations));
            previous = output;
        }
        RegisterComponents();
    }

    /// <summary>Judges single frames (N, 3, H, W); a video is judged frame by frame through <see cref="Frames"/>.</summary>
    public static PatchDiscriminator Image(int[] channels, int powerIterations = 1) => new(false, channels, powerIterations);

    /// <summary>Judges clips (N, 3, T, H, W) with 3-D convolutions, so it sees motion as well as appearance.</summary>
    public static PatchDiscriminator Video(int[] channels, int powerIterations = 1) => new(true, channels, powerIterations);

    public bool IsVideo { get; }

    public IReadOnlyList<SpectralConv> Layers => layers.ToList();

    /// <summary>A video (B, 3, T, H, W) as B·T frames (B·T, 3, H, W), for the image discriminator.</summary>
    public static Tensor Frames(Tensor video) =>
        video.transpose(1, 2).reshape(video.shape[0] * video.shape[2], video.shape[1], video.shape[3], video.shape[4]);

    public override Tensor forward(Tensor x)
    {
        int expected = IsVideo ? 5 : 4;
        if (x.dim() != expected || x.shape[1] != 3)
            throw new ConfigException("input", $"expected ({(IsVideo ? "B, 3, T, H, W" : "N, 3, H, W")}), got [{string.Join(",", x.shape)}]");
        using var scope = NewDisposeScope();
        var h = x;
        for (int i = 0; i < layers.Count; i++)
        {
            h = layers[i].call(h);
            if (i < layers.Count - 1) h = F.leaky_relu(h, 0.2);
        }
        return h.MoveToOuterDisposeScope();
    }
}

/// <summary>The hinge GAN losses (Lim &amp; Ye 2017), on discriminator logits.</summary>
public static class Hinge
{
    /// <summary>Discriminator: mean(relu(1 − D(real))) + mean(relu(1 + D(fake))).</summary>
    public static Tensor Discriminator(Tensor realLogits, Tensor fakeLogits) =>
        F.relu(1 - realLogits).mean() + F.relu(1 + fakeLogits).mean();

    /// <summary>Generator: −mean(D(fake)).</summary>
    public static Tensor Generator(Tensor fakeLogits) => -fakeLogits.mean();
}
