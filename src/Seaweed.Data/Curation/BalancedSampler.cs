using Seaweed.Data.World;

namespace Seaweed.Data.Curation;

/// <summary>Cluster sizes before and after balancing, and the cap applied.</summary>
public sealed record BalanceReport(int Cap, IReadOnlyDictionary<string, int> Before, IReadOnlyDictionary<string, int> After)
{
    public int TotalBefore => Before.Values.Sum();
    public int TotalAfter => After.Values.Sum();
}

public sealed record BalancedSample<T>(IReadOnlyList<T> Kept, BalanceReport Report);

/// <summary>
/// Cluster-balanced sampling: a few "head" clusters (a common content label, a large duplicate cluster) would
/// otherwise dominate training, so each cluster keeps at most cap = ceil(capFactor × median cluster size) items
/// (at least 1). Which items stay is decided by a hash of (seed, item Id), so the kept set depends only on the seed
/// and the set of items, not on their order.
/// </summary>
public static class BalancedSampler
{
    /// <summary>The kept items, in input order, and a before/after report per cluster.</summary>
    public static BalancedSample<T> Sample<T>(IReadOnlyList<T> items, Func<T, string> clusterKey, Func<T, string> itemId, double capFactor, long seed)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(clusterKey);
        ArgumentNullException.ThrowIfNull(itemId);
        if (!(capFactor > 0) || double.IsInfinity(capFactor)) throw new ArgumentOutOfRangeException(nameof(capFactor), capFactor, "capFactor must be a positive number");
        var ids = items.Select(itemId).ToArray();
        var repeated = ids.GroupBy(id => id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null) throw new ArgumentException($"item Id '{repeated.Key}' appears more than once", nameof(items));

        var clusters = Enumerable.Range(0, items.Count).GroupBy(i => clusterKey(items[i]), StringComparer.Ordinal).ToArray();
        var sizes = clusters.Select(g => g.Count()).Order().ToArray();
        double median = sizes.Length == 0 ? 0 : (sizes[(sizes.Length - 1) / 2] + sizes[sizes.Length / 2]) / 2.0;
        int cap = Math.Max(1, (int)Math.Ceiling(capFactor * median));

        var keep = new bool[items.Count];
        foreach (var cluster in clusters)
            foreach (int i in cluster.OrderBy(i => Rank(seed, ids[i])).ThenBy(i => ids[i], StringComparer.Ordinal).Take(cap))
                keep[i] = true;
        var before = clusters.ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var after = clusters.ToDictionary(g => g.Key, g => Math.Min(cap, g.Count()), StringComparer.Ordinal);
        var kept = Enumerable.Range(0, items.Count).Where(i => keep[i]).Select(i => items[i]).ToArray();
        return new BalancedSample<T>(kept, new BalanceReport(cap, before, after));
    }

    private static ulong Rank(long seed, string id) => WorldRandom.For(seed, 0, id).NextULong();
}
