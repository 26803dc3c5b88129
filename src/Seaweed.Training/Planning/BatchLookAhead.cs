using Seaweed.Data;
using Seaweed.Data.Imaging;
using Seaweed.Parallel;
using Seaweed.Training.Samples;

namespace Seaweed.Training.Planning;

/// <summary>
/// Plans step s+1 and reads and resizes this rank's samples for it on a worker thread of its own while step s
/// computes, so planning and data loading cost no step time (Seaweed computes the next batch's balance
/// asynchronously) and take no thread of the shared pool. <see cref="Dispose"/> cancels the preparation under way
/// and waits for it.
/// </summary>
public sealed class BatchLookAhead(BatchPlanner planner, ISampleSource source, int dataRank) : IDisposable
{
    private readonly CancellationTokenSource stopping = new();
    private readonly WorkerThread worker = new($"seaweed-lookahead{dataRank}");
    private (long Step, DataCursor Cursor, Task<PreparedBatch> Batch)? ahead;

    /// <summary>
    /// The batch of <paramref name="step"/> starting at <paramref name="cursor"/>: the one prepared ahead when it
    /// matches, else prepared now. Starts preparing the following step before returning.
    /// </summary>
    public PreparedBatch Take(long step, DataCursor cursor)
    {
        ObjectDisposedException.ThrowIf(stopping.IsCancellationRequested, this);
        Task<PreparedBatch> task;
        if (ahead is { } a && a.Step == step && a.Cursor == cursor) task = a.Batch;
        else
        {
            Abandon();
            task = Start(step, cursor);
        }
        ahead = null;
        var batch = task.GetAwaiter().GetResult();
        if (step + 1 < planner.Curriculum.TotalSteps)
            ahead = (step + 1, batch.Plan.Next, Start(step + 1, batch.Plan.Next));
        return batch;
    }

    public void Dispose()
    {
        if (stopping.IsCancellationRequested) return;
        stopping.Cancel();
        Abandon();
        worker.Dispose();
        stopping.Dispose();
    }

    /// <summary>Waits for the batch prepared ahead, which nobody will take; its failure or cancellation is of no use.</summary>
    private void Abandon()
    {
        if (ahead is not { } a) return;
        ahead = null;
        try
        {
            a.Batch.Wait();
        }
        catch (AggregateException)
        {
        }
    }

    private Task<PreparedBatch> Start(long step, DataCursor cursor)
    {
        var cancellationToken = stopping.Token;
        return worker.Run(() =>
        {
            var plan = planner.Plan(step, cursor);
            var samples = new List<PreparedSample>();
            // Waited for here, so the cutting and resizing after a read run on this thread too.
            foreach (var sample in plan.ForDataRank(dataRank))
                samples.Add(new PreparedSample(sample, PrepareAsync(source, sample, cancellationToken).GetAwaiter().GetResult()));
            return new PreparedBatch(plan, samples);
        }, cancellationToken);
    }

    public static async Task<VideoFrames> PrepareAsync(ISampleSource source, PlannedSample sample, CancellationToken cancellationToken = default)
    {
        var frames = await source.ReadAsync(sample.Clip, cancellationToken);
        if (frames.FrameCount != sample.Clip.Frames || frames.Width != sample.Clip.Width || frames.Height != sample.Clip.Height)
            throw new InvalidDataException($"{source.Name}: {sample.Clip.Modality} {sample.Clip.Index} reads as {frames.Width}x{frames.Height}x{frames.FrameCount}, described as {sample.Clip.Width}x{sample.Clip.Height}x{sample.Clip.Frames}");
        var cut = frames.FrameCount == sample.Frames ? frames : frames.Slice(sample.FrameOffset, sample.Frames);
        return FrameOps.Resize(cut, sample.Width, sample.Height);
    }
}
