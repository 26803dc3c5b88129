namespace Seaweed.Parallel.Balance;

/// <summary>
/// Splits one global batch over the ranks that share it so that their predicted runtimes match. Deterministic:
/// the same costs give the same plan on every rank, so each rank can plan for itself without talking.
/// </summary>
public static class RuntimeBalancer
{
    /// <summary>Per rank, the indices of its samples in ascending order.</summary>
    public static int[][] Assign(IReadOnlyList<double> costs, int ranks, BalanceMethod method = BalanceMethod.Lpt)
    {
        ArgumentNullException.ThrowIfNull(costs);
        if (ranks < 1) throw new ArgumentOutOfRangeException(nameof(ranks), ranks, "ranks must be at least 1");
        for (int i = 0; i < costs.Count; i++)
            if (!double.IsFinite(costs[i]) || costs[i] < 0)
                throw new ArgumentException($"costs[{i}] = {costs[i]} is not a finite cost ≥ 0", nameof(costs));
        var plan = method switch
        {
            BalanceMethod.Lpt => Lpt(costs, ranks),
            BalanceMethod.KarmarkarKarp => KarmarkarKarp.Partition(costs, ranks),
            BalanceMethod.EqualCount => EqualCount(costs.Count, ranks),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "unknown balance method"),
        };
        foreach (var indices in plan) Array.Sort(indices);
        return plan;
    }

    /// <summary>Costs each sample by its length with <paramref name="model"/>, then assigns.</summary>
    public static int[][] Assign(IReadOnlyList<long> tokens, ISampleCost model, int ranks, BalanceMethod method = BalanceMethod.Lpt)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(model);
        return Assign(tokens.Select(model.Cost).ToArray(), ranks, method);
    }

    // Largest first onto the least-loaded rank; the heap's (load, rank) key sends ties to the lowest rank.
    private static int[][] Lpt(IReadOnlyList<double> costs, int ranks)
    {
        var bins = Enumerable.Range(0, ranks).Select(_ => new List<int>()).ToArray();
        var heap = new PriorityQueue<int, (double Load, int Rank)>();
        for (int r = 0; r < ranks; r++) heap.Enqueue(r, (0, r));
        foreach (int i in Enumerable.Range(0, costs.Count).OrderByDescending(i => costs[i]))
        {
            heap.TryDequeue(out int rank, out var key);
            bins[rank].Add(i);
            heap.Enqueue(rank, (key.Load + costs[i], rank));
        }
        return bins.Select(b => b.ToArray()).ToArray();
    }

    private static int[][] EqualCount(int samples, int ranks) =>
        Enumerable.Range(0, ranks).Select(r =>
        {
            int start = (int)((long)samples * r / ranks), end = (int)((long)samples * (r + 1) / ranks);
            return Enumerable.Range(start, end - start).ToArray();
        }).ToArray();
}
