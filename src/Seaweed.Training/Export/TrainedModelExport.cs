using Seaweed.Data.Store;
using Seaweed.Model;
using Seaweed.Training.Checkpoints;
using Seaweed.Training.Ranks;
using Seaweed.Training.Samples;
using static TorchSharp.torch;

namespace Seaweed.Training.Export;

/// <summary>A model directory written from a run's checkpoint: where, from which step, and the size of its weights.</summary>
public sealed record ExportedModel(string Directory, string RunId, long Step, string Stage, long WeightBytes);

/// <summary>
/// A run's checkpoint as a model directory that <c>SeaweedModel.Load</c>, <c>seaweed generate</c> and the eval commands
/// take: the model is built as the run built it (the saved model it started from, with its VAE and tokenizer, or
/// fresh weights from its seed), and every FSDP unit's full parameter vector is put back together from the ranks'
/// shards. A unit some element of which no shard holds is an error, never a silently initialised weight.
/// </summary>
public static class TrainedModelExport
{
    /// <summary>
    /// Writes the newest committed checkpoint of <paramref name="runId"/> to <paramref name="directory"/>, which must be
    /// empty or absent, with its weights stored at <paramref name="precision"/>.
    /// </summary>
    public static async Task<ExportedModel> WriteAsync(IArtefactStore store, TrainingConfig config, string runId, string directory,
        WeightPrecision precision = WeightPrecision.Float32, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var search = await TrainingCheckpoint.FindLatestAsync(store, runId, cancellationToken);
        var manifest = search.Latest ?? throw new ConfigException("run",
            $"run '{runId}' has no usable checkpoint in {store.Location}{(search.Skipped.Count > 0 ? $" ({search.Skipped.Count} skipped: {search.Skipped[0].Reason})" : "")}");
        TrainingCheckpoint.CheckResumable(manifest, config);
        var source = await SampleSources.OpenAsync(config, store, cancellationToken);
        using var model = TrainingModel.Create(config, source);
        var units = TrainingModel.Units(model);
        using var scope = NewDisposeScope();
        var full = units.ToDictionary(u => u.Name, u => zeros(u.Numel, dtype: float32));
        var covered = units.ToDictionary(u => u.Name, u => zeros(u.Numel, dtype: @bool));
        foreach (var shard in manifest.Shards)
        {
            var tensors = await TrainingCheckpoint.ReadShardAsync(store, manifest, shard.Rank, cancellationToken);
            try
            {
                foreach (var unit in units) Place(tensors, unit.Name, unit.Numel, full[unit.Name], covered[unit.Name], shard.Rank);
            }
            finally
            {
                foreach (var t in tensors.Values) t.Dispose();
            }
        }
        using (no_grad())
            foreach (var unit in units)
            {
                long missing = unit.Numel - covered[unit.Name].sum().item<long>();
                if (missing > 0) throw new InvalidDataException($"the checkpoint of step {manifest.Step} holds {missing} of unit '{unit.Name}''s {unit.Numel} elements in no shard");
                foreach (var e in unit.Entries) e.Parameter.copy_(full[unit.Name].narrow(0, e.Offset, e.Numel).view(e.Shape));
            }
        model.Save(directory, precision: precision);
        long bytes = new FileInfo(Path.Combine(directory, SeaweedModel.WeightsFile)).Length;
        return new ExportedModel(Path.GetFullPath(directory), runId, manifest.Step, manifest.StageName, bytes);
    }

    /// <summary>Copies one rank's shard of a unit (its <c>{unit}.param</c> at the <c>{unit}.range</c> start) into the full vector.</summary>
    private static void Place(IReadOnlyDictionary<string, Tensor> tensors, string unit, long numel, Tensor full, Tensor covered, int rank)
    {
        if (!tensors.TryGetValue($"{unit}.param", out var param) || !tensors.TryGetValue($"{unit}.range", out var rangeTensor))
            throw new InvalidDataException($"rank {rank}'s shard has no parameters of unit '{unit}'");
        var range = rangeTensor.data<long>().ToArray();
        long start = range[0], length = param.numel();
        if (range[1] != numel || start < 0 || start + length > numel)
            throw new InvalidDataException($"rank {rank}'s shard of unit '{unit}' covers [{start}, {start + length}) of {range[1]} elements; the model's unit has {numel}");
        if (length == 0) return;
        full.narrow(0, start, length).copy_(param.reshape(-1));
        covered.narrow(0, start, length).fill_(true);
    }
}
