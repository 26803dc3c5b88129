using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace Seaweed.Grains.Devices;

/// <summary>
/// Places a grain only on silos that advertise devices (<see cref="DeviceMetadata.Count"/> in their silo metadata),
/// and not on this silo while all of its own devices are leased. Other silos' leases are not visible here: whoever
/// places ranks across silos hints the silo (the training run does), and a lease refused there is retried elsewhere.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class DeviceSilosOnlyAttribute() : PlacementFilterAttribute(new DeviceSiloFilter());

public sealed class DeviceSiloFilter() : PlacementFilterStrategy(order: 0);

internal sealed class DeviceSiloFilterDirector(ISiloMetadataCache metadata, ILocalSiloDetails local, DeviceHost devices) : IPlacementFilterDirector
{
    public IEnumerable<SiloAddress> Filter(PlacementFilterStrategy filterStrategy, PlacementTarget target, IEnumerable<SiloAddress> silos) =>
        silos.Where(silo => DeviceMetadata.CountOf(metadata.GetSiloMetadata(silo).Metadata) > 0 && (!silo.Equals(local.SiloAddress) || devices.Free > 0));
}
