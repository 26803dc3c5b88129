using System.Runtime.InteropServices;

namespace Seaweed.Parallel.Checkpointing;

/// <summary>
/// The process' resident memory (Linux /proc): current, and peak since <see cref="ResetPeak"/>. On a CPU device this
/// is the honest measure of activation memory — device and host are the same RAM.
/// </summary>
public static partial class ProcessMemory
{
    private const int TrimThreshold = -1, MmapThreshold = -3; // M_TRIM_THRESHOLD, M_MMAP_THRESHOLD

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int MallOpt(int option, int value);

    public static bool Available => File.Exists("/proc/self/status") && File.Exists("/proc/self/clear_refs");

    /// <summary>
    /// Serves blocks of <paramref name="bytes"/> and more from their own mappings, so freeing a tensor returns its
    /// pages at once; otherwise glibc keeps freed memory resident and the next measurement starts inflated.
    /// </summary>
    public static void MapLargeAllocations(int bytes = 128 << 10) => MallOpt(MmapThreshold, bytes);

    /// <summary>
    /// glibc's steady state under its default, self-raising threshold: blocks up to 32 MiB are reused from the heap
    /// and it is not trimmed below 64 MiB, so timed steps do not pay page faults for fresh mappings.
    /// </summary>
    public static void PoolLargeAllocations()
    {
        MallOpt(MmapThreshold, 32 << 20);
        MallOpt(TrimThreshold, 64 << 20);
    }

    /// <summary>
    /// Returns the heap's free pages to the system (else reusing them would not show as growth), then starts a new
    /// peak window at the current resident size.
    /// </summary>
    public static void ResetPeak()
    {
        MallocTrim(0);
        File.WriteAllText("/proc/self/clear_refs", "5");
    }

    public static long Resident => Read("VmRSS:");

    /// <summary>The 1-minute load average: other work competing for the cores during a measurement.</summary>
    public static double LoadAverage => double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    public static long PeakResident => Read("VmHWM:");

    private static long Read(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(field, StringComparison.Ordinal))
                return long.Parse(line.AsSpan(field.Length).Trim().TrimEnd("kB").Trim()) * 1024;
        throw new InvalidDataException($"/proc/self/status has no {field}");
    }
}
