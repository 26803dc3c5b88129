using Seaweed.Parallel.Balance;

namespace Seaweed.Parallel.Tests.Balance;

public class CostModelTests
{
    private static readonly CostModel Truth = new(A: 2e-9, B: 3e-6, C: 1e-3);

    private static (long, double)[] Measure(int count, double noise, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(i =>
        {
            long tokens = 64 + i * 16384L / count;
            return (tokens, Truth.Cost(tokens) * (1 + noise * (2 * random.NextDouble() - 1)));
        }).ToArray();
    }

    [Fact]
    public void Fit_recovers_exact_coefficients_from_exact_data()
    {
        var fit = CostModel.Fit(Measure(5, noise: 0, seed: 0));
        Assert.Equal(Truth.A, fit.A, Truth.A * 1e-9);
        Assert.Equal(Truth.B, fit.B, Truth.B * 1e-9);
        Assert.Equal(Truth.C, fit.C, Truth.C * 1e-6);
    }

    [Theory, InlineData(1), InlineData(2), InlineData(3)]
    public void Fit_recovers_the_coefficients_from_noisy_measurements(int seed)
    {
        var fit = CostModel.Fit(Measure(400, noise: 0.01, seed));
        Assert.Equal(Truth.A, fit.A, Truth.A * 0.02);
        Assert.Equal(Truth.B, fit.B, Truth.B * 0.2);
        Assert.Equal(Truth.C, fit.C, Truth.C * 0.5);
        foreach (long tokens in new long[] { 256, 4096, 16384 })
            Assert.Equal(Truth.Cost(tokens), fit.Cost(tokens), Truth.Cost(tokens) * 0.01);
    }

    [Fact]
    public void Fit_needs_three_distinct_lengths_and_positive_times()
    {
        Assert.Equal("samples", Assert.Throws<ArgumentException>(() => CostModel.Fit([(10, 1.0), (10, 1.1), (20, 2.0)])).ParamName);
        Assert.Equal("samples", Assert.Throws<ArgumentException>(() => CostModel.Fit([(10, 1.0), (20, 0.0), (30, 2.0)])).ParamName);
    }

    [Fact]
    public void Lookup_interpolates_between_measurements_and_follows_the_fit_beyond_them()
    {
        (long, double)[] table = [(256, 1.0), (512, 3.0), (1024, 10.0), (2048, 35.0)];
        var lookup = new LookupCostModel(table);
        Assert.Equal(3.0, lookup.Cost(512));
        Assert.Equal(2.0, lookup.Cost(384), 12);
        Assert.Equal(6.5, lookup.Cost(768), 12);
        // Beyond the table: continuous at the end, then the fit's quadratic growth.
        Assert.Equal(35.0, lookup.Cost(2048), 12);
        Assert.Equal(35.0 + lookup.Fit.Cost(4096) - lookup.Fit.Cost(2048), lookup.Cost(4096), 12);
        Assert.True(lookup.Cost(8192) - lookup.Cost(4096) > 2 * (lookup.Cost(4096) - lookup.Cost(2048)));
        Assert.InRange(lookup.Cost(1), 0, 1.0);
    }

    [Fact]
    public void Lookup_averages_repeated_measurements()
    {
        var lookup = new LookupCostModel([(100, 1.0), (100, 3.0), (200, 5.0), (300, 9.0)]);
        Assert.Equal(2.0, lookup.Cost(100));
        Assert.Equal([100L, 200L, 300L], lookup.Lengths);
    }
}
