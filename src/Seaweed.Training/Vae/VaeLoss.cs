using Seaweed.Model;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Seaweed.Training.Vae;

/// <summary>The terms of one step's loss, as numbers for the progress line and the summary.</summary>
/// <param name="Total">The VAE's objective: the weighted reconstruction terms plus the weighted generator term.</param>
/// <param name="Generator">Hinge generator loss summed over the discriminators in play (0 before the GAN starts).</param>
/// <param name="Discriminator">Hinge discriminator loss summed over the discriminators trained this step.</param>
public sealed record VaeLosses(double Total, double L1, double Ssim, double Kl, double Generator, double Discriminator);

/// <summary>The VAE's reconstruction objective (L1 + SSIM + KL) and its adversarial terms.</summary>
public static class VaeLoss
{
    /// <summary>Weighted L1 + (1 − SSIM) + KL of <paramref name="reconstruction"/>; the unweighted terms come back too.</summary>
    public static (Tensor Loss, Tensor L1, Tensor Ssim, Tensor Kl) Reconstruction(VaeLossConfig weights, Tensor video, Tensor reconstruction, LatentDistribution posterior)
    {
        using var scope = NewDisposeScope();
        var l1 = F.l1_loss(reconstruction, video);
        var ssim = StructuralSimilarity.Mean(PatchDiscriminator.Frames(reconstruction), PatchDiscriminator.Frames(video));
        var kl = posterior.KL();
        var loss = weights.L1 * l1 + weights.Ssim * (1 - ssim) + weights.Kl * kl;
        return (loss.MoveToOuterDisposeScope(), l1.MoveToOuterDisposeScope(), ssim.MoveToOuterDisposeScope(), kl.MoveToOuterDisposeScope());
    }

    /// <summary>The image discriminator judges every frame; the video discriminator judges clips of more than one frame.</summary>
    public static bool UsesVideoDiscriminator(Tensor video) => video.shape[2] > 1;

    /// <summary>Hinge generator loss of a reconstruction against the image (and, for a video, the video) discriminator.</summary>
    public static Tensor Generator(PatchDiscriminator image, PatchDiscriminator video, Tensor reconstruction)
    {
        using var scope = NewDisposeScope();
        var loss = Hinge.Generator(image.call(PatchDiscriminator.Frames(reconstruction)));
        if (UsesVideoDiscriminator(reconstruction)) loss += Hinge.Generator(video.call(reconstruction));
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Hinge discriminator loss of real clips against (detached) reconstructions. Real and fake go through each
    /// discriminator as one batch, so its power iteration advances once per step.
    /// </summary>
    public static Tensor Discriminator(PatchDiscriminator image, PatchDiscriminator video, Tensor real, Tensor fake)
    {
        using var scope = NewDisposeScope();
        var loss = Judge(image, PatchDiscriminator.Frames(real), PatchDiscriminator.Frames(fake));
        if (UsesVideoDiscriminator(real)) loss += Judge(video, real, fake);
        return loss.MoveToOuterDisposeScope();
    }

    private static Tensor Judge(PatchDiscriminator discriminator, Tensor real, Tensor fake)
    {
        var logits = discriminator.call(cat([real, fake], 0));
        long n = real.shape[0];
        return Hinge.Discriminator(logits[..(int)n], logits[(int)n..]);
    }
}
