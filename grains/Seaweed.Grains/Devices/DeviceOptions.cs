using static TorchSharp.torch;

namespace Seaweed.Grains.Devices;

public enum DeviceKind { Cpu, Cuda }

/// <summary>
/// The devices a silo offers to rank grains: <see cref="Count"/> CPU "devices" (worker threads sharing the cores),
/// or CUDA devices. A silo with no devices still places grains, only never a rank.
/// </summary>
public sealed record DeviceOptions
{
    public DeviceKind Kind { get; init; } = DeviceKind.Cpu;

    /// <summary>Devices to offer; null = one CPU device, or every visible CUDA device; 0 = none.</summary>
    public int? Count { get; init; }

    /// <summary>How many devices the silo offers; a CUDA count beyond the visible devices is refused.</summary>
    public int Resolve()
    {
        if (Count < 0) throw new ArgumentException($"Count: {Count} must not be negative", nameof(Count));
        if (Kind == DeviceKind.Cpu) return Count ?? 1;
        int visible = cuda.is_available() ? (int)cuda.device_count() : 0;
        if (Count > visible) throw new ArgumentException($"Count: {Count} CUDA devices asked for, {visible} visible", nameof(Count));
        return Count ?? visible;
    }
}
