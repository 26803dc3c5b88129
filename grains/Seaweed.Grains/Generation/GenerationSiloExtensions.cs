using Microsoft.Extensions.DependencyInjection;
using Seaweed.Grains.Decoding;

namespace Seaweed.Grains.Generation;

public static class GenerationSiloExtensions
{
    /// <summary>
    /// Generation on this silo: its <see cref="GenerationService"/> (bounded queue, model threads, the silo's
    /// <paramref name="models"/>, a fresh cache of <see cref="GenerationOptions.CachedModels"/> unless given), started
    /// and stopped with the silo, and the tiled VAE decode (<see cref="DecodingSiloExtensions.AddVaeDecoding"/>) over
    /// the same models, so each loads once per silo.
    /// <see cref="GenerationGrain"/> also needs an <c>IArtefactStore</c> for the videos, grain storage
    /// <see cref="SeaweedStorage.Name"/> for the jobs' state and a reminder service for their watchdog, all the host's
    /// to register (<c>UseInMemoryReminderService()</c> embedded, <c>UseAzureTableReminderService(…)</c> in a cluster).
    /// </summary>
    public static ISiloBuilder AddGeneration(this ISiloBuilder builder, GenerationOptions options, ModelCache? models = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var cache = models ?? new ModelCache(options.CachedModels);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(s => s.GetService<IReminderTable>() is null
            ? throw new InvalidOperationException("generation needs a reminder service for its jobs' watchdog: UseInMemoryReminderService() on an embedded silo, UseAzureTableReminderService(…) in a cluster")
            : new GenerationService(options, cache));
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(s => s.GetRequiredService<GenerationService>());
        // The decode catalog keeps a VAE for the silo's life, so its model's lease is never given back: never evicted.
        return builder.AddVaeDecoding(name => cache.Get(options.ModelDirectory(name == GenerationOptions.DefaultModelName ? null : name)).Model.Vae);
    }
}
