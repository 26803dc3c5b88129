namespace Seaweed.Data.Curation;

/// <summary>A set of near-duplicate clips; the representative (kept) is the ordinally smallest Id.</summary>
public sealed record DuplicateCluster(string Representative, IReadOnlyList<string> Members)
{
    /// <summary>Members other than the representative: the clips deduplication removes.</summary>
    public IEnumerable<string> Removed => Members.Skip(1);
}

/// <summary>
/// Groups clips whose signatures are within a distance threshold, transitively (union-find). Clips are sorted by
/// Id before anything else and each cluster is named by its smallest Id, so the result depends only on the set of
/// clips, never on their order: parallel workers that see the same clips agree, and rerunning changes nothing.
/// </summary>
public static class DuplicateClustering
{
    /// <summary>Hashes are cut into bands of this many bits; clips sharing a band value are compared.</summary>
    private const int BandBits = 16;

    /// <summary>
    /// Compares only candidate pairs: clips that share the exact value of one 16-bit band of any of their frame
    /// hashes (multi-index hashing). Duplicates share many near-identical frames, so some band almost always agrees,
    /// while unrelated clips rarely collide; this keeps large sets far from all-pairs. The index is approximate (a
    /// pair within the threshold that shares no band is missed); <see cref="ClusterAllPairs"/> is the exact reference.
    /// </summary>
    public static IReadOnlyList<DuplicateCluster> Cluster(IReadOnlyList<(string Id, ClipSignature Signature)> clips, double threshold)
    {
        var sorted = Prepare(clips, threshold);
        var buckets = new Dictionary<(int Band, ulong Value), List<int>>();
        for (int c = 0; c < sorted.Length; c++)
            foreach (ulong hash in sorted[c].Signature.Hashes)
                for (int band = 0; band * BandBits < FrameFingerprint.HashBits; band++)
                {
                    var key = (band, (hash >> (band * BandBits)) & ((1UL << BandBits) - 1));
                    if (!buckets.TryGetValue(key, out var members)) buckets[key] = members = [];
                    if (members.Count == 0 || members[^1] != c) members.Add(c);
                }
        var candidates = new HashSet<(int, int)>();
        foreach (var members in buckets.Values)
            for (int x = 0; x < members.Count; x++)
                for (int y = x + 1; y < members.Count; y++)
                    candidates.Add((members[x], members[y]));
        return Join(sorted, candidates.Order(), threshold);
    }

    /// <summary>The exact clustering: every pair compared. Quadratic; for small sets and for checking <see cref="Cluster"/>.</summary>
    public static IReadOnlyList<DuplicateCluster> ClusterAllPairs(IReadOnlyList<(string Id, ClipSignature Signature)> clips, double threshold)
    {
        var sorted = Prepare(clips, threshold);
        var pairs = from x in Enumerable.Range(0, sorted.Length) from y in Enumerable.Range(x + 1, sorted.Length - x - 1) select (x, y);
        return Join(sorted, pairs, threshold);
    }

    private static (string Id, ClipSignature Signature)[] Prepare(IReadOnlyList<(string Id, ClipSignature Signature)> clips, double threshold)
    {
        ArgumentNullException.ThrowIfNull(clips);
        if (!(threshold >= 0 && threshold <= 1)) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "threshold must be in [0, 1]");
        var sorted = clips.OrderBy(c => c.Id, StringComparer.Ordinal).ToArray();
        for (int i = 0; i < sorted.Length; i++)
        {
            if (sorted[i].Id is null || sorted[i].Signature is null) throw new ArgumentException($"clip {i} has a null Id or Signature", nameof(clips));
            if (i > 0 && sorted[i].Id == sorted[i - 1].Id) throw new ArgumentException($"clip Id '{sorted[i].Id}' appears more than once", nameof(clips));
        }
        return sorted;
    }

    private static IReadOnlyList<DuplicateCluster> Join((string Id, ClipSignature Signature)[] sorted, IEnumerable<(int, int)> pairs, double threshold)
    {
        var parent = Enumerable.Range(0, sorted.Length).ToArray();
        foreach (var (x, y) in pairs)
        {
            int rx = Root(parent, x), ry = Root(parent, y);
            if (rx == ry || ClipSignature.Distance(sorted[x].Signature, sorted[y].Signature) > threshold) continue;
            // The smaller index is the smaller Id, so a root is always its cluster's representative.
            if (rx < ry) parent[ry] = rx; else parent[rx] = ry;
        }
        return Enumerable.Range(0, sorted.Length)
            .GroupBy(i => Root(parent, i))
            .OrderBy(g => g.Key)
            .Select(g => new DuplicateCluster(sorted[g.Key].Id, g.Select(i => sorted[i].Id).ToArray()))
            .ToArray();
    }

    private static int Root(int[] parent, int i)
    {
        while (parent[i] != i) i = parent[i] = parent[parent[i]];
        return i;
    }
}
