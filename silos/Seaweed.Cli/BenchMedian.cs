namespace Seaweed.Cli;

internal static class Median
{
    /// <summary>The middle value (the upper one of an even count).</summary>
    public static double Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
