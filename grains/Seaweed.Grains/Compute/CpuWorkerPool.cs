using System.Collections.Concurrent;

namespace Seaweed.Grains.Compute;

/// <summary>
/// A fixed set of dedicated threads for CPU-heavy work (decoding, detectors, hashing), so grains await the work
/// instead of running it on Orleans scheduler threads. Work queues in order; the queue bounds how much runs at
/// once per silo, whatever the number of grains that ask.
/// </summary>
public sealed class CpuWorkerPool : IDisposable
{
    private readonly BlockingCollection<Action> queue = new();
    private readonly Thread[] threads;

    /// <param name="name">Thread name prefix, for debuggers and dumps.</param>
    public CpuWorkerPool(int workers, string name = "seaweed-cpu")
    {
        if (workers <= 0) throw new ArgumentOutOfRangeException(nameof(workers), workers, "must be positive");
        threads = new Thread[workers];
        for (int i = 0; i < workers; i++)
        {
            threads[i] = new Thread(Work) { IsBackground = true, Name = $"{name}-{i}" };
            threads[i].Start();
        }
    }

    public int Workers => threads.Length;

    public Task<T> Run<T>(Func<T> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        queue.Add(() =>
        {
            if (cancellationToken.IsCancellationRequested) { done.TrySetCanceled(cancellationToken); return; }
            try { done.TrySetResult(work()); }
            catch (Exception e) { done.TrySetException(e); }
        }, cancellationToken);
        return done.Task;
    }

    private void Work()
    {
        foreach (var item in queue.GetConsumingEnumerable()) item();
    }

    public void Dispose()
    {
        queue.CompleteAdding();
        foreach (var t in threads) t.Join();
        queue.Dispose();
    }
}
