using System.Collections.Concurrent;

namespace Seaweed.Parallel;

/// <summary>
/// One dedicated background thread that runs queued work in the order it was queued: background compute and
/// transfers overlap a step without taking threads of the shared pool, which the Orleans scheduler and I/O
/// continuations need. <see cref="Dispose"/> finishes the work queued so far.
/// </summary>
public sealed class WorkerThread : IDisposable
{
    private readonly BlockingCollection<Action> jobs = new();
    private readonly Thread thread;

    public WorkerThread(string name)
    {
        thread = new Thread(Loop) { IsBackground = true, Name = name };
        thread.Start();
    }

    public Task Run(Action work) => Run(() => { work(); return true; });

    /// <summary>Queues <paramref name="work"/>; a token cancelled before it starts cancels it instead.</summary>
    public Task<T> Run<T>(Func<T> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        jobs.Add(() =>
        {
            if (cancellationToken.IsCancellationRequested) done.TrySetCanceled(cancellationToken);
            else
                try { done.TrySetResult(work()); }
                catch (Exception e) { done.TrySetException(e); }
        });
        return done.Task;
    }

    private void Loop()
    {
        foreach (var job in jobs.GetConsumingEnumerable()) job();
    }

    public void Dispose()
    {
        if (jobs.IsAddingCompleted) return;
        jobs.CompleteAdding();
        thread.Join();
        jobs.Dispose();
    }
}
