using Seaweed.Data;
using Seaweed.Data.Imaging;
using Seaweed.Training.Samples;

namespace Seaweed.Training.Planning;

/// <summary>
/// Plans step s+1 and reads and resizes this rank's samples for it on the thread pool while step s computes, so
/// planning and data loading cost no step time (Seaweed computes the next batch's balance asynchronously).
/// </summary>
public sealed class BatchLookAhead(BatchPlanner planner, ISampleSource source, int dataRank)
{
    private (long Step, DataCursor Cursor, Task<PreparedBatch> Batch)? ahead;

    /// <summary>
    /// The batch of <paramref name="step"/> starting at <paramref name="cursor"/>: the one prepared ahead when it
    /// matches, else prepared now. Starts preparing the following step before returning.
    /// </summary>
    public PreparedBatch Take(long step, DataCursor cursor, CancellationToken cancellationToken = default)
    {
        var task = ahead is { } a && a.Step == step && a.Cursor == cursor ? a.Batch : Start(step, cursor, cancellationToken);
        ahead = null;
        var batch = task.GetAwaiter().GetResult();
        if (step + 1 < planner.Curriculum.TotalSteps)
            ahead = (step + 1, batch.Plan.Next, Start(step + 1, batch.Plan.Next, cancellationToken));
        return batch;
    }

    /// <summary>Whether the batch of (step, cursor) is already prepared or being prepared.</summary>
    public bool IsAhead(long step, DataCursor cursor) => ahead is { } a && a.Step == step && a.Cursor == cursor;

    private Task<PreparedBatch> Start(long step, DataCursor cursor, CancellationToken cancellationToken) =>
        Task.Run(async () =>
        {
            var plan = planner.Plan(step, cursor);
            var samples = new List<PreparedSample>();
            foreach (var sample in plan.ForDataRank(dataRank))
                samples.Add(new PreparedSample(sample, await PrepareAsync(source, sample, cancellationToken)));
            return new PreparedBatch(plan, samples);
        }, cancellationToken);

    public static async Task<VideoFrames> PrepareAsync(ISampleSource source, PlannedSample sample, CancellationToken cancellationToken = default)
    {
        var frames = await source.ReadAsync(sample.Clip, cancellationToken);
        if (frames.FrameCount != sample.Clip.Frames || frames.Width != sample.Clip.Width || frames.Height != sample.Clip.Height)
            throw new InvalidDataException($"{source.Name}: {sample.Clip.Modality} {sample.Clip.Index} reads as {frames.Width}x{frames.Height}x{frames.FrameCount}, described as {sample.Clip.Width}x{sample.Clip.Height}x{sample.Clip.Frames}");
        var cut = frames.FrameCount == sample.Frames ? frames : frames.Slice(sample.FrameOffset, sample.Frames);
        return FrameOps.Resize(cut, sample.Width, sample.Height);
    }
}
