using System.Globalization;

namespace Seaweed.Grains.Decoding;

/// <summary>Grain keys of a decode job's tiles.</summary>
public static class DecodingKeys
{
    public static string Tile(string jobId, int tile) => $"{jobId}/{tile.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The job and the tile of a tile grain's key.</summary>
    public static (string JobId, int Tile) ParseTile(string key)
    {
        int slash = key.LastIndexOf('/');
        if (slash <= 0 || !int.TryParse(key.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int tile))
            throw new ArgumentException($"'{key}' is not a tile key '{{job}}/{{tile}}'", nameof(key));
        return (key[..slash], tile);
    }
}
