using System.Runtime.InteropServices;

namespace Seaweed.Kernels;

/// <summary>
/// Runs a kernel on libtorch's own intra-op threads: the OpenMP team its CPU ops run on. After each op those threads
/// spin on the cores for a while, waiting for the next one, so a .NET worker thread started between two libtorch ops
/// waits for a core about as long as it saves; entering the same team instead (<c>GOMP_parallel</c> of the libgomp
/// that libtorch loaded) wakes a thread already spinning on the other core. Without an OpenMP libtorch in the
/// process (another platform or build), the work runs on the calling thread.
/// </summary>
internal static unsafe class TorchThreadTeam
{
    private static readonly delegate* unmanaged<delegate* unmanaged<IntPtr, void>, IntPtr, uint, uint, void> Parallel;
    private static readonly delegate* unmanaged<int> ThreadNumber;
    private static readonly delegate* unmanaged<int> TeamSize;

    static TorchThreadTeam()
    {
        TorchSharp.torch.InitializeDeviceType(TorchSharp.DeviceType.CPU); // loads libtorch, and with it its libgomp
        if (LoadedLibgomp() is not { } path || !NativeLibrary.TryLoad(path, out var gomp)) return;
        if (NativeLibrary.TryGetExport(gomp, "GOMP_parallel", out var parallel) && NativeLibrary.TryGetExport(gomp, "omp_get_thread_num", out var number)
            && NativeLibrary.TryGetExport(gomp, "omp_get_num_threads", out var size))
        {
            Parallel = (delegate* unmanaged<delegate* unmanaged<IntPtr, void>, IntPtr, uint, uint, void>)parallel;
            ThreadNumber = (delegate* unmanaged<int>)number;
            TeamSize = (delegate* unmanaged<int>)size;
        }
    }

    /// <summary>libtorch's intra-op thread count (<c>torch.set_num_threads</c>); 1 where the team cannot be entered.</summary>
    public static int Threads => Parallel == null ? 1 : Math.Max(1, TorchSharp.torch.get_num_threads());

    /// <summary>
    /// Calls <paramref name="body"/>(c) once for every c in [0, <paramref name="parts"/>) over a team of as many
    /// threads (the caller is one), and returns when all have; the first exception any of them threw is rethrown here.
    /// OpenMP may grant fewer threads than asked (inside another parallel region, one): each then takes every n-th part.
    /// </summary>
    public static void Run(int parts, Action<int> body)
    {
        if (parts <= 1 || Parallel == null)
        {
            for (int c = 0; c < parts; c++) body(c);
            return;
        }
        var job = new Job(body, parts);
        var handle = GCHandle.Alloc(job);
        try
        {
            Parallel(&Enter, GCHandle.ToIntPtr(handle), (uint)parts, 0);
        }
        finally
        {
            handle.Free();
        }
        if (job.Error is { } error) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
    }

    private sealed class Job(Action<int> body, int parts)
    {
        public readonly Action<int> Body = body;
        public readonly int Parts = parts;
        public Exception? Error;
    }

    /// <summary>Every team thread's entry; an exception must not unwind into libgomp, so it is kept for the caller.</summary>
    [UnmanagedCallersOnly]
    private static void Enter(IntPtr data)
    {
        var job = (Job)GCHandle.FromIntPtr(data).Target!;
        try
        {
            for (int c = ThreadNumber(), n = TeamSize(); c < job.Parts; c += n) job.Body(c);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref job.Error, e, null);
        }
    }

    /// <summary>The libgomp mapped into this process by libtorch (its name carries a build hash), from /proc/self/maps.</summary>
    private static string? LoadedLibgomp()
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            return File.ReadLines("/proc/self/maps")
                .Select(line => line.IndexOf('/') is var at and >= 0 ? line[at..] : null)
                .FirstOrDefault(path => path is not null && Path.GetFileName(path).StartsWith("libgomp", StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return null;
        }
    }
}
