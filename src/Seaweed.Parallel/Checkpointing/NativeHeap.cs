using System.Runtime.InteropServices;

namespace Seaweed.Parallel.Checkpointing;

/// <summary>
/// Bytes the C heap has handed out (glibc <c>mallinfo2</c>: arena chunks in use + mmapped chunks). libtorch's CPU
/// allocator draws from it, so its growth over a block's forward is what autograd keeps for that block: TorchSharp
/// has no saved-tensor hooks to count them one by one. Process-wide: exact only while no other thread allocates.
/// </summary>
internal static partial class NativeHeap
{
    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo2
    {
        public nuint Arena, OrdBlks, SmBlks, HBlks, HBlkHd, UsmBlks, FsmBlks, UordBlks, FordBlks, KeepCost;
    }

    [LibraryImport("libc", EntryPoint = "mallinfo2")]
    private static partial MallInfo2 Info();

    private static readonly bool Available = OperatingSystem.IsLinux() && Probe();

    private static bool Probe()
    {
        try { Info(); return true; }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException) { return false; }
    }

    /// <summary>Bytes in use, or null where the C library cannot tell (not glibc).</summary>
    public static long? BytesInUse()
    {
        if (!Available) return null;
        var m = Info();
        return (long)(m.UordBlks + m.HBlkHd);
    }
}
