using Microsoft.Extensions.DependencyInjection;
using Seaweed.Data.Curation;
using Seaweed.Data.Video;
using Seaweed.Grains.Compute;

namespace Seaweed.Grains.Curation;

public static class CurationSiloExtensions
{
    /// <summary>
    /// What the curation grains need on a silo: <paramref name="workers"/> CPU worker threads, the curator built from
    /// <paramref name="options"/>, and video I/O. The host also registers an <c>IArtefactStore</c>, grain storage
    /// <see cref="SeaweedStorage.Name"/> and a stream provider named <see cref="CurationStreams.Provider"/>.
    /// </summary>
    public static ISiloBuilder AddCuration(this ISiloBuilder builder, CurationOptions options, int workers)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(workers);
        options.Validate();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(new ClipCurator(options));
        builder.Services.AddSingleton(_ => new CpuWorkerPool(workers));
        builder.Services.AddSingleton(_ => new VideoIO());
        return builder;
    }
}
