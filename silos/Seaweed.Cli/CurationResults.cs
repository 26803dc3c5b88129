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

    public static async Task<CurationFigures> FiguresAsync(IArtefactStore store, string runId, CurationInputSet inputs, IReadOnlyList<VideoSplit> splits, string dataset)
    {
        var records = new List<ClipRecord>();
        foreach (var key in await store.ListAsync(CurationKeys.Records(runId)))
            records.Add(ClipRecord.FromBytes(await store.ReadAllBytesAsync(key), store.Describe(key)));
        string duplicatesKey = CurationKeys.Duplicates(runId);
        var clusters = JsonSerializer.Deserialize<DuplicateCluster[]>(await store.ReadAllBytesAsync(duplicatesKey), ClipRecord.Json)
            ?? throw new InvalidDataException($"{store.Describe(duplicatesKey)}: empty");
        var manifest = (await DatasetReader.OpenAsync(store, dataset)).Manifest;
        return CurationScoring.Score(inputs.Truth, splits, records,
            clusters.SelectMany(c => c.Removed).ToArray(),
            manifest.Samples.Select(s => (s.Info.Id, s.Info.Caption)).ToArray());
    }
}
