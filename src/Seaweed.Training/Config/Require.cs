using Seaweed.Model;

namespace Seaweed.Training;

/// <summary>Range checks that throw <see cref="ConfigException"/> naming the field.</summary>
internal static class Require
{
    public static void Positive(string field, long value)
    {
        if (value <= 0) throw new ConfigException(field, $"{value} must be positive");
    }

    public static void NotNegative(string field, long value)
    {
        if (value < 0) throw new ConfigException(field, $"{value} must not be negative");
    }

    /// <summary>A finite number in [lo, hi] (or [lo, hi) when <paramref name="hiExclusive"/>).</summary>
    public static void InRange(string field, double value, double lo, double hi, bool hiExclusive = false)
    {
        bool ok = double.IsFinite(value) && value >= lo && (hiExclusive ? value < hi : value <= hi);
        if (!ok) throw new ConfigException(field, $"{value} must be in [{lo}, {hi}{(hiExclusive ? ")" : "]")}");
    }

    public static void PositiveFinite(string field, double value)
    {
        if (!double.IsFinite(value) || value <= 0) throw new ConfigException(field, $"{value} must be a positive finite number");
    }

    public static T Present<T>(string field, T? value) where T : class =>
        value ?? throw new ConfigException(field, "is missing");

    /// <summary>Fractions that must add up to one (to a rounding tolerance).</summary>
    public static void SumToOne(string field, IEnumerable<double> fractions)
    {
        double sum = fractions.Sum();
        if (Math.Abs(sum - 1) > 1e-9) throw new ConfigException(field, $"fractions sum to {sum}, not 1");
    }
}
