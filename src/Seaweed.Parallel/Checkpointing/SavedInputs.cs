using TorchSharp;
using static TorchSharp.torch;

namespace Seaweed.Parallel.Checkpointing;

/// <summary>
/// One checkpointed block's inputs between its forward and its backward, at its <see cref="ActivationLevel"/>.
/// Host and Disk move them off the device on the <see cref="WorkerThread"/> (<see cref="BeginOffload"/>) and bring
/// them back ahead of use (<see cref="Prefetch"/>); <see cref="Take"/> waits for whatever is still in flight.
/// Owns its tensor handles and its spill file; <see cref="Release"/> frees both and is idempotent.
/// </summary>
internal sealed class SavedInputs
{
    private const long ChunkBytes = 1L << 30; // a Span covers at most 2 GiB

    private readonly ActivationLevel level;
    private readonly ActivationMemory memory;
    private readonly WorkerThread queue;
    private readonly string? spillFile;
    private readonly Device device;
    private readonly long[][] shapes;
    private readonly ScalarType[] dtypes;
    private readonly long[] held = new long[3]; // this entry's share of memory, per tier
    private readonly long bytes;
    private Tensor[]? onDevice;
    private Tensor[]? onHost;
    private Task? pending;
    private bool offloadAsked, prefetchAsked;

    public SavedInputs(Tensor[] inputs, ActivationLevel level, ActivationMemory memory, WorkerThread queue, string? spillFile)
    {
        this.level = level;
        this.memory = memory;
        this.queue = queue;
        this.spillFile = spillFile;
        device = inputs[0].device;
        shapes = inputs.Select(x => x.shape).ToArray();
        dtypes = inputs.Select(x => x.dtype).ToArray();
        RequiresGrad = inputs.Select(x => x.requires_grad).ToArray();
        bytes = inputs.Sum(x => x.NumberOfElements * x.ElementSize);
        // Own handles to the caller's storage: the caller may dispose its wrappers once the block has run.
        onDevice = inputs.Select(x => x.detach().DetachFromDisposeScope()).ToArray();
        Hold(MemoryTier.Device);
    }

    public bool[] RequiresGrad { get; }

    /// <summary>Starts moving the inputs off the device (Host, Disk); a no-op for Recompute or when already asked.</summary>
    public void BeginOffload()
    {
        if (level is not (ActivationLevel.Host or ActivationLevel.Disk) || offloadAsked) return;
        offloadAsked = true;
        pending = queue.Run(level == ActivationLevel.Host ? ToHost : ToDisk);
    }

    /// <summary>Starts bringing offloaded inputs back to the device; a no-op when they never left or are already coming.</summary>
    public void Prefetch()
    {
        if (!offloadAsked || prefetchAsked) return;
        prefetchAsked = true;
        pending = queue.Run(level == ActivationLevel.Host ? FromHost : FromDisk);
    }

    /// <summary>The inputs on the device, waiting for a prefetch in flight (its failure is rethrown here).</summary>
    public Tensor[] Take()
    {
        Prefetch();
        pending?.GetAwaiter().GetResult();
        return onDevice ?? throw new InvalidOperationException("saved block inputs were already released");
    }

    public void Release()
    {
        try { pending?.Wait(); }
        catch (AggregateException) { } // a failed transfer leaves less to free; the failure was or will be reported by Take
        pending = null;
        Dispose(ref onDevice);
        Dispose(ref onHost);
        if (spillFile is not null) File.Delete(spillFile);
        for (int t = 0; t < 3; t++) Drop((MemoryTier)t);
    }

    private void ToHost()
    {
        // On a CPU device this is a copy in the same RAM: it costs what a device-to-host copy costs, saves nothing.
        onHost = onDevice!.Select(x => x.device_type == DeviceType.CPU ? x.clone() : PinnedCopy(x)).ToArray();
        Hold(MemoryTier.Host);
        Dispose(ref onDevice);
        Drop(MemoryTier.Device);
    }

    private static Tensor PinnedCopy(Tensor x)
    {
        using var pageable = x.cpu();
        return pageable.pin_memory();
    }

    private void FromHost()
    {
        onDevice = device.type == DeviceType.CPU ? onHost : onHost!.Select(x => x.to(device, non_blocking: true)).ToArray();
        if (device.type == DeviceType.CPU) onHost = null;
        else Dispose(ref onHost);
        Hold(MemoryTier.Device);
        Drop(MemoryTier.Host);
    }

    private void ToDisk()
    {
        using (var file = new FileStream(spillFile!, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1))
            foreach (var x in onDevice!)
            {
                using var cpu = x.cpu();
                using var contiguous = cpu.contiguous();
                ForEachChunk(contiguous, chunk => file.Write(chunk.bytes));
            }
        Hold(MemoryTier.Disk);
        Dispose(ref onDevice);
        Drop(MemoryTier.Device);
    }

    private void FromDisk()
    {
        var restored = new Tensor[shapes.Length];
        using (var file = new FileStream(spillFile!, FileMode.Open, FileAccess.Read, FileShare.None, 1, FileOptions.SequentialScan))
            for (int i = 0; i < restored.Length; i++)
            {
                var cpu = empty(shapes[i], dtypes[i]);
                ForEachChunk(cpu, chunk => file.ReadExactly(chunk.bytes));
                restored[i] = device.type == DeviceType.CPU ? cpu : cpu.to(device, disposeAfter: true);
            }
        onDevice = restored;
        Hold(MemoryTier.Device);
        File.Delete(spillFile!);
        Drop(MemoryTier.Disk);
    }

    /// <summary>Straight between the tensor's memory and the file: no managed buffers for the GC to hold on to.</summary>
    private static void ForEachChunk(Tensor contiguous, Action<Tensor> io)
    {
        using var flat = contiguous.view(-1);
        foreach (var chunk in flat.split(Math.Max(1, ChunkBytes / contiguous.ElementSize)))
            using (chunk) io(chunk);
    }

    private void Hold(MemoryTier tier)
    {
        held[(int)tier] += bytes;
        memory.Add(tier, bytes);
    }

    private void Drop(MemoryTier tier)
    {
        memory.Add(tier, -held[(int)tier]);
        held[(int)tier] = 0;
    }

    private static void Dispose(ref Tensor[]? tensors)
    {
        if (tensors is null) return;
        foreach (var t in tensors) t.Dispose();
        tensors = null;
    }
}
