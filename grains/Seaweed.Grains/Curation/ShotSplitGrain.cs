using Seaweed.Data;
using Seaweed.Data.Curation;
using Seaweed.Data.Store;
using Seaweed.Data.Video;
using Seaweed.Grains.Compute;

namespace Seaweed.Grains.Curation;

/// <summary>
/// The split stage: decodes one input video, crops its border and cuts it into shots on the silo's CPU workers,
/// stores each clip's frames and the split under run-scoped keys, and reports the clips to the run.
/// </summary>
// Stage work is CPU-bound and independent per item: spread activations over the silos by their count.
[Orleans.Placement.ActivationCountBasedPlacement]
[CollectionAgeLimit(Minutes = 2)] // one item per activation: idle ones have nothing left to hold
[ImplicitStreamSubscription(CurationStreams.Videos)]
public sealed class ShotSplitGrain(IArtefactStore store, CpuWorkerPool workers, VideoIO videoIO)
    : StreamStageGrain<VideoTask>(CurationStreams.Videos), IShotSplitGrain
{
    protected override async Task Process(VideoTask task)
    {
        var run = GrainFactory.GetGrain<ICurationRunGrain>(task.RunId);
        IReadOnlyList<ClipTask> clips;
        try
        {
            clips = await SplitCore(task);
        }
        catch (Exception e)
        {
            await run.VideoFailed(task.VideoId, task.Attempt, StageFailure.Describe(e), StageFailure.IsRetryable(e));
            return;
        }
        await run.VideoSplit(task.VideoId, task.Attempt, clips);
    }

    private async Task<IReadOnlyList<ClipTask>> SplitCore(VideoTask task)
    {
        var video = await Decode(task.InputKey);
        var (split, cropped) = await workers.Run(() => new FootageSplitter().Split(task.VideoId, video));
        var clips = new List<ClipTask>();
        foreach (var clip in split.Clips)
        {
            var frames = cropped!.Slice(clip.Start, clip.End - clip.Start);
            await store.WriteAsync(CurationKeys.ClipFrames(task.RunId, clip.ClipId), new MemoryStream(frames.Data), ArtefactWriteMode.Overwrite);
            clips.Add(new ClipTask(task.RunId, task.VideoId, clip.ClipId, clip.Start, frames.Width, frames.Height, frames.FrameCount, frames.Fps, 1));
        }
        await store.WriteAsync(CurationKeys.Split(task.RunId, task.VideoId), new MemoryStream(split.ToBytes()), ArtefactWriteMode.Overwrite);
        return clips;
    }

    /// <summary>ffmpeg reads files, and the input may live in a blob container: decode a local copy.</summary>
    private async Task<VideoFrames> Decode(string key)
    {
        string path = Path.Combine(Path.GetTempPath(), $"seaweed-split-{Guid.NewGuid():N}{Path.GetExtension(key)}");
        try
        {
            await using (var input = await store.OpenReadAsync(key))
            await using (var file = File.Create(path))
                await input.CopyToAsync(file);
            return await videoIO.ReadAsync(path);
        }
        catch (VideoFormatException e)
        {
            throw new VideoFormatException(key, e.Reason, e);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
