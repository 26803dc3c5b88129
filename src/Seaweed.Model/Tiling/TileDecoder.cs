using static TorchSharp.torch;

namespace Seaweed.Model.Tiling;

/// <summary>
/// One tile's share of an exact tiled decode: <see cref="CausalVae.Decode"/> of the tile's latent region, chunk after
/// chunk, through a frame cache of its own that exchanges halos and norm statistics with the other tiles. Every tile
/// of the grid must decode the same chunks at the same time; together their pixel regions are the whole-frame decode.
/// </summary>
public sealed class TileDecoder : IDisposable
{
    private readonly CausalVae vae;
    private readonly FrameCache cache;
    private readonly TileRegion region;
    private int chunk;

    public TileDecoder(CausalVae vae, TileGrid grid, FrameChunks chunks, int tile, ITileTransport transport,
        TileExchangeOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(vae);
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(chunks);
        int halo = Halo(vae);
        var smallest = Enumerable.Range(0, grid.Count).Select(grid.Region).Min(r => Math.Min(r.Height, r.Width));
        if (smallest < halo) throw new ConfigException("tiles", $"a tile {smallest} latent pixels across is smaller than the decoder's halo of {halo}");
        this.vae = vae;
        Grid = grid;
        Chunks = chunks;
        Tile = tile;
        region = grid.Region(tile);
        cache = new FrameCache(new TileExchange(grid, tile, transport, options, cancellationToken));
    }

    public TileGrid Grid { get; }
    public FrameChunks Chunks { get; }
    public int Tile { get; }

    /// <summary>The tile's rectangle in the decoded frames.</summary>
    public TileRegion Pixels => region.Scale(vae.Config.SpatialDownsample);

    /// <summary>Rows and columns each tile needs from each neighbour before a conv: the widest spatial padding of the decoder.</summary>
    public static int Halo(CausalVae vae) =>
        vae.modules().OfType<CausalConv3d>().Max(c => Math.Max(c.SpatialPad.H, c.SpatialPad.W));

    /// <summary>
    /// Decodes the next chunk: <paramref name="latent"/> is the tile's region of the chunk's latent frames
    /// (B, C, frames, h, w); the result is the tile's pixels of those frames.
    /// </summary>
    public Tensor DecodeNext(Tensor latent)
    {
        if (chunk >= Chunks.Count) throw new InvalidOperationException($"tile {Tile} has decoded all {Chunks.Count} chunks");
        var (start, end) = Chunks.Latent(chunk);
        if (latent.dim() != 5 || latent.shape[2] != end - start || latent.shape[3] != region.Height || latent.shape[4] != region.Width)
            throw new ConfigException("latent", $"tile {Tile}'s chunk {chunk} is (B, C, {end - start}, {region.Height}, {region.Width}), got [{string.Join(",", latent.shape)}]");
        using var noGrad = no_grad();
        var pixels = vae.Decode(latent, cache);
        chunk++;
        return pixels;
    }

    public void Dispose() => cache.Dispose();
}
