using System.Globalization;

namespace Seaweed.Eval;

/// <summary>Axis ticks at round values: 1, 2 or 5 × 10^k on a linear axis, whole decades on a log axis.</summary>
internal static class PlotTicks
{
    /// <summary>About <paramref name="intervals"/> equal steps whose first and last tick enclose [lo, hi].</summary>
    public static double[] Linear(double lo, double hi, int intervals = 5)
    {
        if (hi <= lo) (lo, hi) = (lo - Spread(lo), hi + Spread(hi));
        double raw = (hi - lo) / intervals;
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double f = raw / magnitude;
        double step = (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * magnitude;
        long first = (long)Math.Floor(lo / step + 1e-9), last = (long)Math.Ceiling(hi / step - 1e-9);
        return Enumerable.Range(0, (int)(last - first) + 1).Select(i => (first + i) * step).ToArray();
    }

    /// <summary>Decades from the one at or below <paramref name="lo"/> to the one at or above <paramref name="hi"/> (both positive).</summary>
    public static double[] Log(double lo, double hi)
    {
        int first = (int)Math.Floor(Math.Log10(lo) + 1e-9), last = Math.Max(first + 1, (int)Math.Ceiling(Math.Log10(hi) - 1e-9));
        return Enumerable.Range(first, last - first + 1).Select(k => Math.Pow(10, k)).ToArray();
    }

    public static string Label(double value) => value.ToString("G3", CultureInfo.InvariantCulture);

    // A single value still gets an axis around it: ±10% of it, or ±1 around zero.
    private static double Spread(double v) => v == 0 ? 1 : Math.Abs(v) * 0.1;
}
