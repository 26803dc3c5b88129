using System.Globalization;

namespace Seaweed.Data;

/// <summary>
/// Two whole numbers written "AxB" (also "A×B" or "AXB", spaces around either allowed): a size "64x48" or a tile grid
/// "2x3". The one reading of that form for the CLI, story files and the HTTP API; ranges are the caller's to check.
/// </summary>
public static class PairText
{
    private static readonly char[] Separators = ['x', 'X', '×'];

    public static bool TryParse(string? text, out int first, out int second)
    {
        (first, second) = (0, 0);
        if (text?.Split(Separators) is not [var a, var b]) return false;
        return int.TryParse(a.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out first)
            && int.TryParse(b.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out second);
    }
}
