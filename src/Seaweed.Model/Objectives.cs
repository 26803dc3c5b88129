using static TorchSharp.torch;

namespace Seaweed.Model;

/// <summary>The training losses of the two networks, shared by training, tests and benchmarks.</summary>
public static class Objectives
{
    /// <summary>
    /// Flow-matching loss of the DiT on clean latents <paramref name="x0"/> (B, C, F, H, W). Under a sequence shard
    /// of several ranks: this rank's share (<see cref="FlowMatching.SequenceShardedLoss"/>); the context-parallel
    /// ranks' shares sum to the loss. Intermediates stay in the caller's dispose scope: a checkpointing runner
    /// recomputes blocks during backward from tensors of the forward (the RoPE angles), so that scope must outlive
    /// the backward.
    /// </summary>
    public static Tensor Dit(HybridStreamDiT dit, Tensor x0, Tensor noise, Tensor time, DitInput conditioning, DitExecution? execution = null)
    {
        var input = conditioning with { Latent = FlowMatching.Noised(x0, noise, time), Time = time };
        if (execution?.Shard is not { Count: > 1 } shard)
            return FlowMatching.Loss(dit.Forward(input, execution), x0, noise);
        var (text, video) = input.Tokens(dit.Config.Dit.Patch);
        var predicted = dit.ForwardTokens(input, execution);
        return FlowMatching.SequenceShardedLoss(predicted, x0, noise, dit.Config.Dit.Patch, shard.Span(text, video));
    }

    /// <summary>VAE loss: L1 reconstruction of a posterior sample plus a KL term toward N(0, I).</summary>
    public static Tensor Vae(CausalVae vae, Tensor video, double klWeight, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        var posterior = vae.Encode(video);
        var reconstruction = vae.Decode(posterior.Sample(generator));
        var loss = nn.functional.l1_loss(reconstruction, video) + klWeight * posterior.KL();
        return loss.MoveToOuterDisposeScope();
    }
}
