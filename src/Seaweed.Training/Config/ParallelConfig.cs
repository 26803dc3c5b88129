using Seaweed.Model;
using Seaweed.Parallel.Sharding;

namespace Seaweed.Training;

/// <summary>How many ranks and how they are grouped: data parallel × FSDP shard × Ulysses context parallel.</summary>
public sealed record ParallelConfig
{
    public int Ranks { get; init; } = 1;
    public int Dp { get; init; } = 1;
    public int Fsdp { get; init; } = 1;
    public int Cp { get; init; } = 1;

    public static ParallelConfig Single { get; } = new();

    /// <summary>Ranks that see different samples; the cp ranks of one data rank share its samples.</summary>
    public int DataRanks => Dp * Fsdp;

    /// <summary>The mesh these sizes describe, checked against the DiT's heads; errors name <c>{path}.dp</c> etc.</summary>
    public ParallelLayout Layout(DitConfig dit, string path = "parallel") => new ParallelLayout(Dp, Fsdp, Cp).Validate(Ranks, dit.Heads, $"{path}.");
}
