using Seaweed.Grains.Devices;

namespace Seaweed.Grains.Tests.Training;

public sealed class DeviceHostTests
{
    [Fact]
    public async Task Leases_are_exclusive_and_work_runs_on_the_device_thread()
    {
        using var host = new DeviceHost(new DeviceOptions { Count = 2 });
        Assert.Equal(2, host.Free);
        var a = host.Lease("run/0");
        var b = host.Lease("run/1");
        Assert.Equal((0, 1), (a.Index, b.Index));
        Assert.Same(a.Holder, host.Lease("run/0").Holder);
        Assert.Equal(0, host.Lease("run/0").Index);
        Assert.Throws<NoFreeDeviceException>(() => host.Lease("run/2"));

        a.Dispose();
        Assert.Equal(1, host.Free);
        var c = host.Lease("run/2");
        Assert.Equal(0, c.Index);

        // A lease given back twice, or after the device went to another holder, takes nothing from that holder.
        a.Dispose();
        Assert.Equal(0, host.Free);

        var (name, pooled) = await c.Run(() => (Thread.CurrentThread.Name, Thread.CurrentThread.IsThreadPoolThread));
        Assert.Equal("seaweed-cpu0-0", name);
        Assert.False(pooled);
        Assert.Equal("seaweed-cpu1-0", await b.Run(() => Thread.CurrentThread.Name));
    }

    [Theory]
    [InlineData(DeviceKind.Cpu, -1)]
    [InlineData(DeviceKind.Cuda, 64)]
    public void Bad_counts_are_refused_naming_the_field(DeviceKind kind, int count)
    {
        var e = Assert.Throws<ArgumentException>(() => new DeviceOptions { Kind = kind, Count = count }.Resolve());
        Assert.StartsWith("Count:", e.Message);
    }

    [Fact]
    public void Metadata_advertises_the_count()
    {
        var metadata = DeviceMetadata.For(DeviceKind.Cpu, 3);
        Assert.Equal(3, DeviceMetadata.CountOf(metadata));
        Assert.Equal("cpu", metadata[DeviceMetadata.Kind]);
        Assert.Equal(0, DeviceMetadata.CountOf(new Dictionary<string, string>()));
        Assert.Equal(0, DeviceMetadata.CountOf(new Dictionary<string, string> { [DeviceMetadata.Count] = "-2" }));
    }
}
