using Seaweed.Model;
using Seaweed.Parallel.Transport;

namespace Seaweed.Parallel.Sharding;

/// <summary>
/// The 3-D mesh of a run: <see cref="Dp"/> data-parallel replicas × <see cref="Fsdp"/> parameter shards ×
/// <see cref="Cp"/> context-parallel (Ulysses) ranks. World rank = (d·fsdp + f)·cp + c, so the cp ranks of one
/// sample are neighbours and the fsdp shards of one replica are the next level out.
/// </summary>
public sealed record ParallelLayout(int Dp, int Fsdp, int Cp)
{
    public int WorldSize => Dp * Fsdp * Cp;

    /// <summary>Ranks that read distinct samples: the cp ranks of one (d, f) share theirs.</summary>
    public int DataRanks => Dp * Fsdp;

    /// <summary>
    /// Throws <see cref="ConfigException"/> naming <c>dp</c>, <c>fsdp</c>, <c>cp</c> or <c>ranks</c> (after
    /// <paramref name="fieldPrefix"/>, e.g. <c>parallel.</c>) when the mesh cannot run on <paramref name="ranks"/>
    /// ranks of a DiT with <paramref name="heads"/> attention heads.
    /// </summary>
    public ParallelLayout Validate(int ranks, int heads, string fieldPrefix = "")
    {
        if (ranks < 1) throw new ConfigException($"{fieldPrefix}ranks", $"{ranks} must be at least 1");
        if (Dp < 1) throw new ConfigException($"{fieldPrefix}dp", $"{Dp} must be at least 1");
        if (Fsdp < 1) throw new ConfigException($"{fieldPrefix}fsdp", $"{Fsdp} must be at least 1");
        if (Cp < 1) throw new ConfigException($"{fieldPrefix}cp", $"{Cp} must be at least 1");
        if ((long)Dp * Fsdp * Cp != ranks)
            throw new ConfigException($"{fieldPrefix}ranks", $"dp·fsdp·cp = {Dp}·{Fsdp}·{Cp} = {(long)Dp * Fsdp * Cp}, but the run has {ranks} ranks");
        // Ulysses hands each cp rank whole heads.
        if (heads % Cp != 0) throw new ConfigException($"{fieldPrefix}cp", $"{Cp} does not divide the DiT's {heads} attention heads");
        return this;
    }

    public int RankOf(int d, int f, int c)
    {
        CheckCoordinate(nameof(d), d, Dp);
        CheckCoordinate(nameof(f), f, Fsdp);
        CheckCoordinate(nameof(c), c, Cp);
        return (d * Fsdp + f) * Cp + c;
    }

    public (int D, int F, int C) Coordinates(int rank)
    {
        CheckCoordinate(nameof(rank), rank, WorldSize);
        return (rank / (Fsdp * Cp), rank / Cp % Fsdp, rank % Cp);
    }

    /// <summary>Which share of the global batch <paramref name="rank"/> reads: d·fsdp + f.</summary>
    public int DataRank(int rank)
    {
        var (d, f, _) = Coordinates(rank);
        return d * Fsdp + f;
    }

    /// <summary>
    /// The groups <paramref name="rank"/> belongs to. Ids are unique over the whole mesh (0 = world, then every
    /// shard, context and gradient group), so no two groups' messages share a tag.
    /// </summary>
    public RankGroups GroupsOf(int rank)
    {
        var (d, f, c) = Coordinates(rank);
        int shardBase = 1, contextBase = shardBase + Dp * Cp, gradientBase = contextBase + Dp * Fsdp;
        return new RankGroups(
            World: ProcessGroup.World(WorldSize),
            Shard: new ProcessGroup(shardBase + d * Cp + c, Range(Fsdp, i => RankOf(d, i, c))),
            Context: new ProcessGroup(contextBase + d * Fsdp + f, Range(Cp, i => RankOf(d, f, i))),
            Gradient: new ProcessGroup(gradientBase + f, Range(Dp * Cp, i => RankOf(i / Cp, f, i % Cp))));
    }

    private static int[] Range(int count, Func<int, int> rank) => Enumerable.Range(0, count).Select(rank).ToArray();

    private static void CheckCoordinate(string name, int value, int size)
    {
        if (value < 0 || value >= size) throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, {size})");
    }
}

/// <summary>The process groups of one rank.</summary>
/// <param name="Shard">Same (d, c): the ranks that split the parameters between them (FSDP).</param>
/// <param name="Context">Same (d, f): the ranks that split each sample's sequence (Ulysses).</param>
/// <param name="Gradient">
/// Same f: every rank holding this rank's shard index (replica × context). Each computed a partial gradient of
/// that shard, so the reduce-scattered shards are summed over this group.
/// </param>
public sealed record RankGroups(ProcessGroup World, ProcessGroup Shard, ProcessGroup Context, ProcessGroup Gradient);
