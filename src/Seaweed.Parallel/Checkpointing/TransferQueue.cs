using System.Collections.Concurrent;

namespace Seaweed.Parallel.Checkpointing;

/// <summary>
/// One background thread that runs offloads and prefetches in the order they were asked for, so a block's
/// prefetch always follows its own offload. Work queued here overlaps with the compute thread's forward and backward.
/// </summary>
internal sealed class TransferQueue : IDisposable
{
    private readonly BlockingCollection<(Action Work, TaskCompletionSource Done)> jobs = new();
    private readonly Thread thread;

    public TransferQueue()
    {
        thread = new Thread(Loop) { IsBackground = true, Name = "mlac-transfer" };
        thread.Start();
    }

    public Task Enqueue(Action work)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        jobs.Add((work, done));
        return done.Task;
    }

    private void Loop()
    {
        foreach (var (work, done) in jobs.GetConsumingEnumerable())
        {
            try
            {
                work();
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        }
    }

    public void Dispose()
    {
        jobs.CompleteAdding();
        thread.Join();
        jobs.Dispose();
    }
}
