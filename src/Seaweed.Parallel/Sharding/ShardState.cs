using static TorchSharp.torch;

namespace Seaweed.Parallel.Sharding;

/// <summary>One unit's share on one rank: elements [<paramref name="Start"/>, Start + length) of a flat vector of <paramref name="Numel"/>.</summary>
/// <param name="Parameters">The parameter shard (1-D float32).</param>
/// <param name="ExpAvg">AdamW's first moment m of the shard.</param>
/// <param name="ExpAvgSq">AdamW's second moment v of the shard.</param>
public sealed record UnitShardState(string Unit, long Numel, long Start, Tensor Parameters, Tensor ExpAvg, Tensor ExpAvgSq)
{
    public long Length => Parameters.numel();
}

/// <summary>
/// Everything one rank needs to resume optimisation exactly: its shards of every unit and the AdamW step count.
/// Taken as copies (<see cref="DistributedStep.TakeState"/>); the holder disposes them.
/// </summary>
public sealed record RankShardState(long Step, IReadOnlyList<UnitShardState> Units) : IDisposable
{
    public void Dispose()
    {
        foreach (var u in Units)
        {
            u.Parameters.Dispose();
            u.ExpAvg.Dispose();
            u.ExpAvgSq.Dispose();
        }
    }
}
