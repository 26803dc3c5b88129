namespace Seaweed.Parallel.Balance;

/// <summary>
/// Karmarkar–Karp largest differencing, k-way. Every sample starts as its own k-subset partition; the two
/// partitions with the largest spread (max − min subset sum) are merged by pairing the heaviest subsets of one
/// with the lightest of the other, until one partition is left. Partitions keep only their non-empty subsets
/// (the rest are implicit zeros) and subsets keep their samples as a concatenation tree, so a merge costs
/// O(non-empty subsets), not O(k) or O(samples).
/// </summary>
internal static class KarmarkarKarp
{
    public static int[][] Partition(IReadOnlyList<double> costs, int k)
    {
        var heap = new PriorityQueue<Subset[], (double Spread, int Order)>(
            Comparer<(double Spread, int Order)>.Create((x, y) => x.Spread != y.Spread ? y.Spread.CompareTo(x.Spread) : x.Order.CompareTo(y.Order)));
        int order = 0;
        for (int i = 0; i < costs.Count; i++) Push(heap, [new Subset(costs[i], i, null, null)], k, order++);
        var result = Enumerable.Range(0, k).Select(_ => new List<int>()).ToArray();
        if (heap.Count == 0) return result.Select(r => r.ToArray()).ToArray();
        while (heap.Count > 1) Push(heap, Merge(heap.Dequeue(), heap.Dequeue(), k), k, order++);
        var final = heap.Dequeue();
        for (int r = 0; r < final.Length; r++) final[r].CollectInto(result[r]);
        return result.Select(r => r.ToArray()).ToArray();
    }

    private static void Push(PriorityQueue<Subset[], (double, int)> heap, Subset[] partition, int k, int order)
    {
        double min = partition.Length < k ? 0 : partition[^1].Sum;
        heap.Enqueue(partition, (partition[0].Sum - min, order));
    }

    /// <summary>
    /// Pairs subset i of <paramref name="a"/> (heaviest first, padded with empties) with subset i of
    /// <paramref name="b"/> taken lightest first (its empties first), and sorts the sums heaviest first.
    /// </summary>
    private static Subset[] Merge(Subset[] a, Subset[] b, int k)
    {
        // Only positions where a or b has a non-empty subset: a's fill [0, |a|), b's (reversed) fill [k − |b|, k).
        int tail = Math.Max(a.Length, k - b.Length);
        var merged = new List<Subset>(Math.Min(k, a.Length + b.Length));
        foreach (int i in Enumerable.Range(0, a.Length).Concat(Enumerable.Range(tail, k - tail)))
        {
            Subset? x = i < a.Length ? a[i] : null;
            Subset? y = i >= k - b.Length ? b[k - 1 - i] : null;
            merged.Add(x is null ? y! : y is null ? x : new Subset(x.Sum + y.Sum, Math.Min(x.First, y.First), x, y));
        }
        merged.Sort((p, q) => p.Sum != q.Sum ? q.Sum.CompareTo(p.Sum) : p.First.CompareTo(q.First));
        return merged.ToArray();
    }

    /// <summary>
    /// A set of samples: one sample (a leaf, <see cref="First"/> is it) or the union of two subsets.
    /// <see cref="First"/> is the lowest sample index inside: the tie-break that keeps the order deterministic.
    /// </summary>
    private sealed record Subset(double Sum, int First, Subset? Left, Subset? Right)
    {
        public void CollectInto(List<int> into)
        {
            var stack = new Stack<Subset>([this]);
            while (stack.TryPop(out var s))
            {
                if (s.Left is null) into.Add(s.First);
                else
                {
                    stack.Push(s.Right!);
                    stack.Push(s.Left);
                }
            }
        }
    }
}
