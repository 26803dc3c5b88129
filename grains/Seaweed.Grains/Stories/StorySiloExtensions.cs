using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Seaweed.Grains.Compute;

namespace Seaweed.Grains.Stories;

public static class StorySiloExtensions
{
    /// <summary>
    /// What the story grains need on a silo besides generation (<c>AddGeneration</c>): their options, the renderer,
    /// and <paramref name="workers"/> CPU worker threads unless the silo has a pool already. The host also registers
    /// an <c>IArtefactStore</c> and grain storage <see cref="SeaweedStorage.Name"/>.
    /// </summary>
    public static ISiloBuilder AddStories(this ISiloBuilder builder, StoryOptions options, int workers)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(workers);
        builder.Services.AddSingleton(options.Validate());
        builder.Services.TryAddSingleton(_ => new CpuWorkerPool(workers));
        builder.Services.AddSingleton<StoryRenderer>();
        return builder;
    }
}
