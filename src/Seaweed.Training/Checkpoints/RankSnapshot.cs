using Seaweed.Parallel.Sharding;
using Seaweed.Training.Samples;
using static TorchSharp.torch;

namespace Seaweed.Training.Checkpoints;

/// <summary>
/// One rank's resumable state as named tensors (the checkpoint shard's content) after <see cref="Step"/> steps:
/// per FSDP unit its parameter shard, AdamW moments and range, plus the AdamW step count. The holder disposes it.
/// </summary>
public sealed record RankSnapshot(int Rank, long Step, DataCursor Cursor, IReadOnlyDictionary<string, Tensor> Tensors) : IDisposable
{
    private const string AdamStep = "adam.step";

    public static RankSnapshot From(int rank, long step, DataCursor cursor, RankShardState state)
    {
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal) { [AdamStep] = tensor(new[] { state.Step }) };
        foreach (var u in state.Units)
        {
            tensors[$"{u.Unit}.param"] = u.Parameters;
            tensors[$"{u.Unit}.exp_avg"] = u.ExpAvg;
            tensors[$"{u.Unit}.exp_avg_sq"] = u.ExpAvgSq;
            tensors[$"{u.Unit}.range"] = tensor(new[] { u.Start, u.Numel });
        }
        return new RankSnapshot(rank, step, cursor, tensors);
    }

    /// <summary>The shard state for <paramref name="units"/> (in their order); a unit the snapshot lacks is an <see cref="InvalidDataException"/>.</summary>
    public RankShardState ToShardState(IEnumerable<string> units)
    {
        Tensor Need(string name) => Tensors.TryGetValue(name, out var t)
            ? t
            : throw new InvalidDataException($"the snapshot of rank {Rank} at step {Step} has no tensor '{name}'");
        var shards = units.Select(unit =>
        {
            var range = Need($"{unit}.range").data<long>().ToArray();
            return new UnitShardState(unit, range[1], range[0], Need($"{unit}.param"), Need($"{unit}.exp_avg"), Need($"{unit}.exp_avg_sq"));
        }).ToList();
        return new RankShardState(Need(AdamStep).item<long>(), shards);
    }

    public void Dispose()
    {
        foreach (var t in Tensors.Values) t.Dispose();
    }
}
