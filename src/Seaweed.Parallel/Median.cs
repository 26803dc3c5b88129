namespace Seaweed.Parallel;

/// <summary>The median of repeated measurements: steadier than the mean on a machine with other load.</summary>
public static class Median
{
    /// <summary>The middle value; the mean of the two middle ones for an even count.</summary>
    public static double Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) throw new ArgumentException("no values to take the median of", nameof(values));
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
