using Seaweed.Grains.Devices;
using Seaweed.Grains.Training;

namespace Seaweed.Grains.Tests.Training;

/// <summary>Rank grains go only to silos that advertise devices, and hold a device each until released.</summary>
public sealed class RankPlacementTests : IAsyncLifetime
{
    private TrainingCluster cluster = null!;

    public async Task InitializeAsync() =>
        cluster = await TrainingCluster.StartAsync([0, 1], new Dictionary<string, IRankTrainerFactory> { ["probe"] = new CollectiveProbe() });

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    /// <summary>A run of one rank: its rendezvous completes at once.</summary>
    private static RankSetup Setup(string run) => new(run, 0, 1, 1, "probe", "", null, null, TimeSpan.FromSeconds(30), 1 << 20);

    [Fact]
    public async Task Ranks_land_only_on_device_silos_and_a_leased_device_is_not_given_twice()
    {
        var deviceless = cluster.Cluster.Silos[0].SiloAddress;
        string deviceSilo = cluster.Cluster.Silos[1].SiloAddress.ToParsableString();
        var a = cluster.Grains.GetGrain<IRankGrain>(TrainingKeys.Rank("run-a", 0));
        var b = cluster.Grains.GetGrain<IRankGrain>(TrainingKeys.Rank("run-b", 0));

        // Hinted to the silo without devices, the rank still goes to the one with a device.
        var ready = await PlacementHint.On(deviceless, () => a.Prepare(Setup("run-a")));
        Assert.Equal((deviceSilo, 0, "cpu"), (ready.Silo, ready.Device, ready.DeviceKind));

        // The only device is leased: the next rank is refused (by its lease, or by placement finding no silo).
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => PlacementHint.On(deviceless, () => b.Prepare(Setup("run-b"))));
        Assert.True(refused is NoFreeDeviceException || refused.Message.Contains("compatible", StringComparison.OrdinalIgnoreCase), refused.ToString());

        await a.Release();
        Assert.Equal(deviceSilo, (await b.Prepare(Setup("run-b"))).Silo);
        await b.Release();
    }
}
