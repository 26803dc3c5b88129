using System.Text.Json;
using Seaweed.Data.Curation;
using Seaweed.Data.Dataset;
using Seaweed.Data.Store;
using Seaweed.Grains.Curation;

namespace Seaweed.Cli;

/// <summary>Reads back what a finished run left in the store, to measure it.</summary>
internal static class CurationResults
{
    /// <summary>The split of every input video that was decoded (a failed one has none).</summary>
    public static async Task<IReadOnlyList<VideoSplit>> SplitsAsync(IArtefactStore store, string runId, IReadOnlyList<CurationInput> inputs)
    {
        var splits = new List<VideoSplit>();
        foreach (var input in inputs)
        {
            string key = CurationKeys.Split(runId, input.VideoId);
            if (await store.ExistsAsync(key)) splits.Add(VideoSplit.FromBytes(await store.ReadAllBytesAsync(key), store.Describe(key)));
        }
        return splits;
    }

    /// <summary>The figures over the videos that have ground truth; the others' clips and samples are left out.</summary>
    public static async Task<CurationFigures> FiguresAsync(IArtefactStore store, string runId, CurationInputSet inputs, IReadOnlyList<VideoSplit> splits, string dataset)
    {
        bool Known(string videoId) => inputs.Truth.ContainsKey(videoId);
        var records = new List<ClipRecord>();
        foreach (var key in await store.ListAsync(CurationKeys.Records(runId)))
            records.Add(ClipRecord.FromBytes(await store.ReadAllBytesAsync(key), store.Describe(key)));
        records.RemoveAll(r => !Known(r.VideoId));
        string duplicatesKey = CurationKeys.Duplicates(runId);
        var clusters = JsonSerializer.Deserialize<DuplicateCluster[]>(await store.ReadAllBytesAsync(duplicatesKey), ClipRecord.Json)
            ?? throw new InvalidDataException($"{store.Describe(duplicatesKey)}: empty");
        var manifest = (await DatasetReader.OpenAsync(store, dataset)).Manifest;
        var scored = records.Select(r => r.ClipId).ToHashSet(StringComparer.Ordinal);
        return CurationScoring.Score(inputs.Truth, splits.Where(s => Known(s.VideoId)).ToArray(), records,
            clusters.SelectMany(c => c.Removed).Where(scored.Contains).ToArray(),
            manifest.Samples.Where(s => Known(s.Info.SourceVideo)).Select(s => (s.Info.Id, s.Info.Caption)).ToArray());
    }
}
