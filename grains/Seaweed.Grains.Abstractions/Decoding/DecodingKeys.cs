namespace Seaweed.Grains.Decoding;

/// <summary>Grain keys of a decode job's tiles.</summary>
public static class DecodingKeys
{
    public static string Tile(string jobId, int tile) => JobIds.Part(jobId, tile);

    /// <summary>The job and the tile of a tile grain's key.</summary>
    public static (string JobId, int Tile) ParseTile(string key) => JobIds.ParsePart(key, "tile");
}
