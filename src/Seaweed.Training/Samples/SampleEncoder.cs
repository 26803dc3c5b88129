using Seaweed.Model;
using Seaweed.Training.Planning;
using static TorchSharp.torch;

namespace Seaweed.Training.Samples;

/// <summary>
/// A sample ready for the DiT: clean latent x0 (1, C, F, H, W) from the frozen VAE, its task condition and mask,
/// the noise and flow time of its draws, and its prompt's token ids and mask (the text encoder, which trains, runs
/// in the loss).
/// </summary>
public sealed record EncodedSample(Tensor X0, Tensor Condition, Tensor ConditionMask, Tensor Noise, Tensor Time, Tensor TextIds, Tensor TextMask)
{
    /// <summary>
    /// The sample's flow-matching loss; under a sequence shard, this rank's share of it. Its graph lives in the
    /// caller's dispose scope, which must outlive the backward (checkpointed blocks recompute from it).
    /// </summary>
    public Tensor Loss(SeaweedModel model, DitExecution? execution)
    {
        var text = model.Text.Forward(TextIds, TextMask);
        var input = new DitInput(X0, Condition, ConditionMask, Time, text, TextMask);
        return Objectives.Dit(model.Dit, X0, Noise, Time, input, execution);
    }
}

public static class SampleEncoder
{
    /// <summary>
    /// Encodes one prepared sample on <paramref name="device"/>. Noise and time come from generators seeded by
    /// (seed, step, the sample's batch index), so every rank holding the sample, and every rerun of the step, draws
    /// the same ones. The time is shifted for the sample's token count (resolution-dependent shift).
    /// </summary>
    public static EncodedSample Encode(SeaweedModel model, PreparedSample sample, long seed, long step, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(sample);
        var plan = sample.Plan;
        using var scope = NewDisposeScope();
        Tensor x0;
        using (no_grad())
        {
            x0 = model.EncodeVideo(PixelTensor.FromFrames(sample.Pixels, device));
        }
        var (condition, mask) = Conditioning.ForTask(x0, plan.Task);
        using var noiseGenerator = new Generator(Draws.TorchSeed(seed, step, plan.Index, "noise"));
        using var timeGenerator = new Generator(Draws.TorchSeed(seed, step, plan.Index, "time"));
        var noise = randn(x0.shape, generator: noiseGenerator).to(x0.device);
        double shift = FlowMatching.Shift(model.Config.Flow, plan.VideoTokens);
        var time = FlowMatching.SampleTime(1, model.Config.Flow, shift, timeGenerator).to(x0.device);
        var (ids, textMask) = TextEncoder.Batch([model.Tokenizer.Encode(plan.Prompt)], x0.device);
        var encoded = new EncodedSample(x0, condition, mask, noise, time, ids, textMask);
        foreach (var t in new[] { x0, condition, mask, noise, time, ids, textMask }) t.MoveToOuterDisposeScope();
        return encoded;
    }
}
