using System.Text.Json;
using Seaweed.Data;
using Seaweed.Data.Curation;
using Seaweed.Data.Dataset;
using Seaweed.Data.Store;
using Seaweed.Grains.Compute;

namespace Seaweed.Grains.Curation;

/// <summary>
/// The last step of a run: reads every curated clip's record, plans the dataset (dedup, balance, pack) on the CPU
/// workers and writes it; then, once the run has stored that outcome, removes the run's clip frames and samples,
/// which the dataset now holds. Records, splits and the duplicate clusters stay for audit and scoring.
/// </summary>
internal sealed class CurationCommit(IArtefactStore store, CpuWorkerPool workers, CurationOptions options, string runId)
{
    public async Task<(CurationCounts Counts, DatasetWriteResult Written)> WriteAsync(IReadOnlyList<string> clipIds, string dataset, bool overwrite, CancellationToken cancellationToken)
    {
        var records = new List<ClipRecord>(clipIds.Count);
        foreach (var id in clipIds)
        {
            string key = CurationKeys.Record(runId, id);
            records.Add(ClipRecord.FromBytes(await store.ReadAllBytesAsync(key, cancellationToken), store.Describe(key)));
        }
        var plan = await workers.Run(() => DatasetPlanner.Plan(records, options), cancellationToken);
        var samples = plan.Samples.Select(r => (Info(r, plan.PackOf[r.ClipId]), Load(r))).ToArray();
        var written = await new DatasetWriter(store, workers.Run).WriteAsync(dataset, options.PackCapacity, samples, overwrite, cancellationToken);
        var clusters = plan.DuplicateClusters.Where(c => c.Members.Count > 1).ToArray();
        await store.WriteAsync(CurationKeys.Duplicates(runId), new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(clusters, ClipRecord.Json)), ArtefactWriteMode.Overwrite, cancellationToken);
        int Count(ClipVerdict v) => records.Count(r => r.Verdict == v);
        int unique = Count(ClipVerdict.Candidate) - plan.Duplicates.Count;
        var counts = new CurationCounts(records.Count, Count(ClipVerdict.Invalid), Count(ClipVerdict.TooShort), Count(ClipVerdict.Uncaptioned),
            Count(ClipVerdict.HeldOut), plan.Duplicates.Count, unique - plan.Samples.Count, plan.Samples.Count, plan.Packing.Packs.Count,
            plan.Packing.PaddingFraction);
        return (counts, written);
    }

    /// <summary>Every clip frame and sample file of the run, whichever attempt wrote it.</summary>
    public async Task RemoveIntermediatesAsync(CancellationToken cancellationToken)
    {
        foreach (var prefix in new[] { CurationKeys.ClipFramesPrefix(runId), CurationKeys.SamplesPrefix(runId) })
            foreach (var key in await store.ListAsync(prefix, cancellationToken))
                await store.DeleteAsync(key, cancellationToken);
    }

    private static SampleInfo Info(ClipRecord r, int pack) => new(r.ClipId, r.SampleWidth, r.SampleHeight, r.SampleFrames, r.Fps,
        r.Bucket!, r.Tokens, pack, r.Caption!.Detailed, r.Caption.Short, r.VideoId, r.SampleStart);

    private Func<CancellationToken, Task<VideoFrames>> Load(ClipRecord r) => async ct =>
        new VideoFrames(r.SampleWidth, r.SampleHeight, r.SampleFrames, r.Fps, await store.ReadAllBytesAsync(CurationKeys.Sample(runId, r.ClipId), ct));
}
