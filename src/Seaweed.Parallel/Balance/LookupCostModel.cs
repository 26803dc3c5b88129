namespace Seaweed.Parallel.Balance;

/// <summary>
/// Seaweed's runtime balance cost: a table of measured runtimes by sequence length, linearly interpolated
/// (runtime is not a clean function of FLOPs, so measure rather than model). Outside the table it follows the
/// quadratic fit of the same measurements, shifted to meet the table at its end, so the cost stays continuous and
/// keeps growing quadratically.
/// </summary>
public sealed class LookupCostModel : ISampleCost
{
    private readonly long[] lengths;
    private readonly double[] seconds;

    /// <summary>From measured (tokens, seconds) samples; repeated lengths are averaged. Needs three distinct lengths.</summary>
    public LookupCostModel(IReadOnlyList<(long Tokens, double Seconds)> samples)
    {
        Fit = CostModel.Fit(samples);
        var table = samples.GroupBy(s => s.Tokens).OrderBy(g => g.Key).ToArray();
        lengths = table.Select(g => g.Key).ToArray();
        seconds = table.Select(g => g.Average(s => s.Seconds)).ToArray();
    }

    /// <summary>The quadratic fit used beyond the table.</summary>
    public CostModel Fit { get; }

    public IReadOnlyList<long> Lengths => lengths;

    public double Cost(long tokens)
    {
        if (tokens <= lengths[0]) return Math.Max(0, seconds[0] + Fit.Cost(tokens) - Fit.Cost(lengths[0]));
        if (tokens >= lengths[^1]) return seconds[^1] + Fit.Cost(tokens) - Fit.Cost(lengths[^1]);
        int hi = Array.BinarySearch(lengths, tokens);
        if (hi >= 0) return seconds[hi];
        hi = ~hi;
        double t = (double)(tokens - lengths[hi - 1]) / (lengths[hi] - lengths[hi - 1]);
        return seconds[hi - 1] + t * (seconds[hi] - seconds[hi - 1]);
    }
}
