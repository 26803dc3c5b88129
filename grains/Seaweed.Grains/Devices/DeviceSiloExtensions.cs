using Microsoft.Extensions.DependencyInjection;
using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace Seaweed.Grains.Devices;

public static class DeviceSiloExtensions
{
    /// <summary>
    /// The silo's devices (<see cref="DeviceHost"/>), advertised in its silo metadata, and the placement filter that
    /// keeps <see cref="DeviceSilosOnlyAttribute"/> grains on device silos. Every silo of a cluster that runs ranks
    /// needs this, with <c>Count = 0</c> on silos that have no device to offer. The silo's metadata is set here.
    /// </summary>
    public static ISiloBuilder AddDevices(this ISiloBuilder builder, DeviceOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        builder.UseSiloMetadata(DeviceMetadata.For(options.Kind, options.Resolve()));
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<DeviceHost>();
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(s => s.GetRequiredService<DeviceHost>());
        SiloStopping.AddTo(builder.Services);
        builder.Services.AddPlacementFilter<DeviceSiloFilter, DeviceSiloFilterDirector>(ServiceLifetime.Transient);
        return builder;
    }
}
