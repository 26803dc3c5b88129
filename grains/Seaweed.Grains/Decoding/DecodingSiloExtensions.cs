using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Seaweed.Grains.Compute;
using Seaweed.Model;

namespace Seaweed.Grains.Decoding;

public static class DecodingSiloExtensions
{
    /// <summary>
    /// Lets this silo host VAE decode and tile grains, loading a model's VAE with <paramref name="load"/> (name →
    /// VAE; throw an ArgumentException naming Model for an unknown one). Splitting the latent runs on the silo's
    /// <see cref="CpuWorkerPool"/> (one worker unless another part registered one); each tile decodes on a thread of its own.
    /// </summary>
    public static ISiloBuilder AddVaeDecoding(this ISiloBuilder builder, Func<string, CausalVae> load)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(load);
        builder.Services.AddSingleton(_ => new VaeCatalog(load));
        builder.Services.TryAddSingleton(_ => new CpuWorkerPool(1));
        return builder;
    }
}
