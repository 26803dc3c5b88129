using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Seaweed.Grains.Compute;

namespace Seaweed.Grains.Training;

public static class TrainingSiloExtensions
{
    /// <summary>
    /// Registers <paramref name="factory"/> as the trainer that runs named <paramref name="name"/> use. Rank grains
    /// also need the silo's devices (<c>AddDevices</c>), an <c>IArtefactStore</c> for checkpoints and grain storage
    /// <see cref="SeaweedStorage.Name"/> for the run's state. Checkpoint hashing runs on the silo's
    /// <see cref="CpuWorkerPool"/> (one worker unless curation registered one).
    /// </summary>
    public static ISiloBuilder AddRankTrainer(this ISiloBuilder builder, string name, IRankTrainerFactory factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.AddKeyedSingleton<IRankTrainerFactory>(name, factory);
        builder.Services.TryAddSingleton(_ => new CpuWorkerPool(1));
        SiloStopping.AddTo(builder.Services);
        return builder;
    }
}
