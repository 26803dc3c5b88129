namespace Seaweed.Parallel.Transport;

/// <summary>
/// The world ranks of one communication group, in group order. <see cref="Id"/> keeps the group's messages apart
/// from other groups' (a rank belongs to several: its FSDP, context-parallel and replica groups).
/// </summary>
public sealed record ProcessGroup
{
    public ProcessGroup(int id, IReadOnlyList<int> ranks)
    {
        ArgumentNullException.ThrowIfNull(ranks);
        if (ranks.Count == 0) throw new ArgumentException("a group needs at least one rank", nameof(ranks));
        if (ranks.Distinct().Count() != ranks.Count) throw new ArgumentException($"ranks [{string.Join(",", ranks)}] repeat", nameof(ranks));
        Id = id;
        Ranks = ranks.ToArray();
    }

    public int Id { get; }
    public IReadOnlyList<int> Ranks { get; }
    public int Size => Ranks.Count;

    /// <summary>The position of <paramref name="worldRank"/> in this group.</summary>
    public int IndexOf(int worldRank)
    {
        for (int i = 0; i < Ranks.Count; i++)
            if (Ranks[i] == worldRank) return i;
        throw new ArgumentException($"rank {worldRank} is not in group {Id} [{string.Join(",", Ranks)}]", nameof(worldRank));
    }

    public static ProcessGroup World(int worldSize) => new(0, Enumerable.Range(0, worldSize).ToArray());
}
