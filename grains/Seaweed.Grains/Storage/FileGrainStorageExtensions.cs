using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.Hosting;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Seaweed.Grains.Storage;

public static class FileGrainStorageExtensions
{
    /// <summary>
    /// Adds <see cref="FileGrainStorage"/> as grain storage <paramref name="name"/>, keeping state under
    /// <paramref name="rootDirectory"/>. It serializes with the <see cref="IGrainStorageSerializer"/> keyed by
    /// <paramref name="name"/> if there is one, else the silo's default, as Orleans' own providers do.
    /// </summary>
    public static ISiloBuilder AddFileGrainStorage(this ISiloBuilder builder, string name, string rootDirectory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(rootDirectory);
        builder.Services.AddGrainStorage(name, (services, storageName) => new FileGrainStorage(
            rootDirectory,
            services.GetKeyedService<IGrainStorageSerializer>(storageName) ?? services.GetRequiredService<IGrainStorageSerializer>(),
            services.GetRequiredService<IActivatorProvider>()));
        return builder;
    }
}
