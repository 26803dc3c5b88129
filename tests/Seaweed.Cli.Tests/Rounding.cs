namespace Seaweed.Cli.Tests;

/// <summary>How far a ratio recomputed from printed, rounded figures may lie from the ratio the bench printed.</summary>
internal static class Rounding
{
    /// <summary>
    /// The largest |n/d − n′/d′| over n′ ∈ n ± <paramref name="half"/>, d′ ∈ d ± <paramref name="half"/> (half a unit of
    /// the figures' last printed digit), plus <paramref name="ratioHalf"/> for the printed ratio's own rounding.
    /// </summary>
    public static double RatioSlack(double numerator, double denominator, double half, double ratioHalf)
    {
        double ratio = numerator / denominator;
        double widest = Math.Max(
            Math.Abs((numerator + half) / (denominator - half) - ratio),
            Math.Abs((numerator - half) / (denominator + half) - ratio));
        return widest + ratioHalf + 1e-12;
    }

    /// <summary>Asserts <paramref name="printed"/> is the ratio of the unrounded figures behind <paramref name="numerator"/> / <paramref name="denominator"/>.</summary>
    public static void AssertRatio(double numerator, double denominator, double printed, double half, double ratioHalf, string what)
    {
        double slack = RatioSlack(numerator, denominator, half, ratioHalf);
        Assert.True(Math.Abs(numerator / denominator - printed) <= slack,
            $"{what}: printed {printed}, recomputed {numerator / denominator} (slack {slack:E2})");
    }
}
