namespace Seaweed.Parallel.Balance;

/// <summary>
/// How even a plan is: each rank's summed cost, and max/mean, the step-time penalty of the slowest rank
/// (everyone waits for it at the gradient all-reduce). 1 is perfect.
/// </summary>
public sealed record BalanceReport(IReadOnlyList<double> Loads, double Max, double Mean)
{
    public double MaxOverMean => Mean > 0 ? Max / Mean : 1;

    /// <summary>The report of <paramref name="plan"/>; it must hold every sample index exactly once.</summary>
    public static BalanceReport For(IReadOnlyList<double> costs, IReadOnlyList<IReadOnlyList<int>> plan)
    {
        ArgumentNullException.ThrowIfNull(costs);
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Count == 0) throw new ArgumentException("a plan needs at least one rank", nameof(plan));
        var seen = new bool[costs.Count];
        foreach (int i in plan.SelectMany(p => p))
        {
            if (i < 0 || i >= costs.Count || seen[i])
                throw new ArgumentException($"sample {i} is out of range or assigned twice", nameof(plan));
            seen[i] = true;
        }
        if (seen.Contains(false)) throw new ArgumentException($"sample {Array.IndexOf(seen, false)} is not assigned", nameof(plan));
        var loads = plan.Select(p => p.Sum(i => costs[i])).ToArray();
        return new BalanceReport(loads, loads.Max(), loads.Average());
    }
}
