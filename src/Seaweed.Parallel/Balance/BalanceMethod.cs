namespace Seaweed.Parallel.Balance;

public enum BalanceMethod
{
    /// <summary>Greedy longest-processing-time first: within (4/3 − 1/(3m)) of the optimal makespan.</summary>
    Lpt,

    /// <summary>Karmarkar–Karp largest differencing, k-way: usually closer to optimal than LPT.</summary>
    KarmarkarKarp,

    /// <summary>The unbalanced baseline: consecutive samples, equal counts per rank (⌊i·n/P⌋ boundaries).</summary>
    EqualCount,
}
