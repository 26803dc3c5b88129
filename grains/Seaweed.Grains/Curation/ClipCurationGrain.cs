using Seaweed.Data;
using Seaweed.Data.Curation;
using Seaweed.Data.Store;
using Seaweed.Data.World;
using Seaweed.Grains.Compute;

namespace Seaweed.Grains.Curation;

/// <summary>
/// The per-clip stage: quality, captioning, signature and bucketing of one clip on the silo's CPU workers. Its
/// record (and sample, for a candidate) is stored under the clip's own keys before the run hears of it, so a
/// repeated delivery rewrites the same artefacts and the run counts the clip once.
/// </summary>
// Stage work is CPU-bound and independent per item: spread activations over the silos by their count.
[Orleans.Placement.ActivationCountBasedPlacement]
[CollectionAgeLimit(Minutes = 2)] // one item per activation: idle ones have nothing left to hold
[ImplicitStreamSubscription(CurationStreams.Clips)]
public sealed class ClipCurationGrain(IArtefactStore store, CpuWorkerPool workers, ClipCurator curator)
    : StreamStageGrain<ClipTask>(CurationStreams.Clips), IClipCurationGrain
{
    protected override async Task Process(ClipTask task)
    {
        var run = GrainFactory.GetGrain<ICurationRunGrain>(task.RunId);
        try
        {
            var raw = await store.ReadAllBytesAsync(CurationKeys.ClipFrames(task.RunId, task.ClipId));
            var clip = new VideoFrames(task.Width, task.Height, task.Frames, task.Fps, raw);
            // The paraphrase is a function of the clip, so a retry writes the same caption.
            int variant = WorldRandom.For(curator.Options.Seed, 0, task.ClipId).Next(0, CaptionGrammar.Variants);
            var curated = await workers.Run(() => curator.Curate(task.ClipId, task.VideoId, task.Start, clip, variant));
            if (curated.Sample is { } sample)
                await store.WriteAsync(CurationKeys.Sample(task.RunId, task.ClipId), new MemoryStream(sample.Data), ArtefactWriteMode.Overwrite);
            await store.WriteAsync(CurationKeys.Record(task.RunId, task.ClipId), new MemoryStream(curated.Record.ToBytes()), ArtefactWriteMode.Overwrite);
        }
        catch (Exception e)
        {
            await run.ClipFailed(task.ClipId, task.Attempt, StageFailure.Describe(e), StageFailure.IsRetryable(e));
            return;
        }
        await run.ClipCurated(task.ClipId, task.Attempt, RuntimeIdentity);
    }
}
