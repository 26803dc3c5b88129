using Seaweed.Grains.Compute;
using static TorchSharp.torch;

namespace Seaweed.Grains.Devices;

/// <summary>
/// The devices of one silo: one dedicated worker thread per device (TorchSharp dispose scopes and CUDA contexts are
/// per thread, and compute must never run on Orleans scheduler threads), handed out as exclusive leases. Started
/// with the silo; the threads end after the silo's grains are gone.
/// </summary>
public sealed class DeviceHost : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private readonly CpuWorkerPool[] threads;
    private readonly Device[] devices;
    private readonly string?[] holders;
    private readonly Lock gate = new();
    private readonly CancellationTokenSource stopping = new();
    private int disposed;

    public DeviceHost(DeviceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Kind = options.Kind;
        int count = options.Resolve();
        devices = Enumerable.Range(0, count).Select(i => Kind == DeviceKind.Cuda ? new Device(TorchSharp.DeviceType.CUDA, i) : CPU).ToArray();
        threads = Enumerable.Range(0, count).Select(i => new CpuWorkerPool(1, $"seaweed-{Kind.ToString().ToLowerInvariant()}{i}")).ToArray();
        holders = new string?[count];
    }

    public DeviceKind Kind { get; }
    public int Count => devices.Length;

    /// <summary>Fires when the silo stops: work on the devices must end, or the threads cannot.</summary>
    public CancellationToken Stopping => stopping.Token;

    public int Free
    {
        get { lock (gate) return holders.Count(h => h is null); }
    }

    /// <summary>
    /// The lowest free device, held by <paramref name="holder"/> until the lease is disposed; a holder that already
    /// holds one gets that one again. None free → <see cref="NoFreeDeviceException"/>.
    /// </summary>
    public DeviceLease Lease(string holder)
    {
        ArgumentException.ThrowIfNullOrEmpty(holder);
        lock (gate)
        {
            int index = Array.IndexOf(holders, holder);
            if (index < 0) index = Array.IndexOf(holders, null);
            if (index < 0) throw new NoFreeDeviceException($"all {Count} {Kind} devices of this silo are leased");
            holders[index] = holder;
            return new DeviceLease(this, index, holder, devices[index], threads[index]);
        }
    }

    internal void Release(DeviceLease lease)
    {
        lock (gate)
            if (holders[lease.Index] == lease.Holder) holders[lease.Index] = null;
    }

    void ILifecycleParticipant<ISiloLifecycle>.Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(DeviceHost), ServiceLifecycleStage.RuntimeInitialize, _ => Task.CompletedTask, _ =>
        {
            Dispose();
            return Task.CompletedTask;
        });

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1) return;
        stopping.Cancel();
        foreach (var thread in threads) thread.Dispose();
    }
}

/// <summary>One device, held exclusively; work given to <see cref="Run"/> runs on the device's own thread, in order.</summary>
public sealed class DeviceLease : IDisposable
{
    private readonly DeviceHost host;
    private readonly CpuWorkerPool thread;

    internal DeviceLease(DeviceHost host, int index, string holder, Device device, CpuWorkerPool thread)
    {
        this.host = host;
        this.thread = thread;
        Index = index;
        Holder = holder;
        Device = device;
    }

    public int Index { get; }
    public string Holder { get; }
    public Device Device { get; }
    public DeviceKind Kind => host.Kind;

    public Task<T> Run<T>(Func<T> work, CancellationToken cancellationToken = default) => thread.Run(work, cancellationToken);

    public void Dispose() => host.Release(this);
}
