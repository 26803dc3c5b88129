namespace Seaweed.Parallel.Balance;

/// <summary>
/// cost(L) = a·L² + b·L + c: attention is quadratic in the sequence length, the rest linear, plus a fixed
/// per-sample overhead. Fitted to measured runtimes by least squares on the relative error: timing noise grows
/// with the runtime, and an absolute fit would let the long samples' noise swamp the short ones.
/// </summary>
public sealed record CostModel(double A, double B, double C) : ISampleCost
{
    public double Cost(long tokens) => (A * tokens + B) * tokens + C;

    /// <summary>
    /// Least-squares fit to measured (tokens, seconds) samples, minimising Σ((fit − seconds) / seconds)²;
    /// needs at least three distinct lengths and positive times.
    /// </summary>
    public static CostModel Fit(IReadOnlyList<(long Tokens, double Seconds)> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Select(s => s.Tokens).Distinct().Count() < 3)
            throw new ArgumentException("a quadratic fit needs samples at three or more distinct lengths", nameof(samples));
        foreach (var (tokens, seconds) in samples)
            if (tokens < 0 || !double.IsFinite(seconds) || seconds <= 0)
                throw new ArgumentException($"sample ({tokens}, {seconds}) is not a length ≥ 0 with a positive time", nameof(samples));
        // Lengths reach 10⁵ tokens, so L⁴ in the normal equations would swamp the constant term: fit in x = L / max L.
        double scale = samples.Max(s => s.Tokens);
        var normal = new double[3, 4];
        foreach (var (tokens, seconds) in samples)
        {
            double x = tokens / scale, weight = 1 / (seconds * seconds);
            double[] basis = [x * x, x, 1];
            for (int i = 0; i < 3; i++)
            {
                for (int j = 0; j < 3; j++) normal[i, j] += weight * basis[i] * basis[j];
                normal[i, 3] += weight * basis[i] * seconds;
            }
        }
        var (a, b, c) = Solve(normal);
        return new CostModel(a / (scale * scale), b / scale, c);
    }

    /// <summary>Gaussian elimination with partial pivoting on the 3×3 system [M | v].</summary>
    private static (double, double, double) Solve(double[,] m)
    {
        for (int col = 0; col < 3; col++)
        {
            int pivot = Enumerable.Range(col, 3 - col).MaxBy(r => Math.Abs(m[r, col]));
            for (int j = 0; j < 4; j++) (m[col, j], m[pivot, j]) = (m[pivot, j], m[col, j]);
            for (int r = col + 1; r < 3; r++)
            {
                double f = m[r, col] / m[col, col];
                for (int j = col; j < 4; j++) m[r, j] -= f * m[col, j];
            }
        }
        var x = new double[3];
        for (int r = 2; r >= 0; r--)
        {
            double s = m[r, 3];
            for (int j = r + 1; j < 3; j++) s -= m[r, j] * x[j];
            x[r] = s / m[r, r];
        }
        return (x[0], x[1], x[2]);
    }
}
