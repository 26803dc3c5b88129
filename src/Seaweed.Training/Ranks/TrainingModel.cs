using TorchSharp;
using Seaweed.Model;
using Seaweed.Parallel.Collectives;
using Seaweed.Parallel.Sharding;
using Seaweed.Parallel.Transport;
using Seaweed.Training.Samples;
using static TorchSharp.torch;

namespace Seaweed.Training.Ranks;

/// <summary>Builds the model a run trains and splits what trains into FSDP units.</summary>
public static class TrainingModel
{
    /// <summary>
    /// A saved model directory's weights and tokenizer, or fresh weights from the run's seed with a tokenizer built
    /// from the source's captions, on <paramref name="device"/> (the CPU when null). The VAE is frozen: it only
    /// encodes samples. Moving builds new parameters, so units and optimizers are made from the returned model.
    /// </summary>
    public static SeaweedModel Create(TrainingConfig config, ISampleSource source, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(source);
        SeaweedModel model;
        if (config.ModelSource.Directory is { } directory) model = SeaweedModel.Load(directory);
        else
        {
            var tokenizer = Tokenizer.Build(source.Corpus(), config.ModelConfig.Text);
            model = SeededInit.Create(config.Seed, () => new SeaweedModel(config.ModelConfig, tokenizer));
        }
        if (device is not null) model.to(device);
        foreach (var p in model.Vae.parameters()) p.requires_grad_(false);
        return model;
    }

    /// <summary>
    /// Makes every rank's weights rank 0's. Ranks seeded alike already agree; this keeps them agreeing when some
    /// other code in the process drew from torch's global generator while a rank was initialising.
    /// </summary>
    public static void Synchronise(SeaweedModel model, Communicator communicator)
    {
        if (communicator.WorldSize == 1) return;
        var world = ProcessGroup.World(communicator.WorldSize);
        using var noGrad = no_grad();
        foreach (var (_, t) in model.state_dict()) communicator.Broadcast(world, t, rootIndex: 0);
    }

    /// <summary>The trained parameters as FSDP units: one per DiT block, the DiT's embeddings and final layer, the text encoder.</summary>
    public static IReadOnlyList<FlatUnit> Units(SeaweedModel model) =>
    [
        .. FlatUnit.PerBlock(model.Dit),
        new FlatUnit("text", model.Text.named_parameters().Select(p => (p.name, p.parameter)).ToList()),
    ];
}
