using Microsoft.Extensions.DependencyInjection;

namespace Seaweed.Grains.Generation;

public static class GenerationSiloExtensions
{
    /// <summary>
    /// Generation on this silo: its <see cref="GenerationService"/> (bounded queue, model threads, model cache), started
    /// and stopped with the silo. <see cref="GenerationGrain"/> also needs an <c>IArtefactStore</c> for the videos and
    /// grain storage <see cref="SeaweedStorage.Name"/> for the jobs' state, both the host's to register.
    /// </summary>
    public static ISiloBuilder AddGeneration(this ISiloBuilder builder, GenerationOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<GenerationService>();
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(s => s.GetRequiredService<GenerationService>());
        return builder;
    }
}
