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
    private bool started;

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
    /// Decodes the tile's region of the latent, (B, C, frames, h, w), chunk after chunk: yields each chunk's first pixel
    /// frame and the tile's pixels of its frames, which the caller owns. Every tile must be enumerated alongside.
    /// </summary>
    public IEnumerable<(int Frame, Tensor Pixels)> Decode(Tensor latent)
    {
        ArgumentNullException.ThrowIfNull(latent);
        if (latent.dim() != 5 || latent.shape[2] != Chunks.Frames || latent.shape[3] != region.Height || latent.shape[4] != region.Width)
            throw new ConfigException("latent", $"tile {Tile}'s latent is (B, C, {Chunks.Frames}, {region.Height}, {region.Width}), got [{string.Join(",", latent.shape)}]");
        return Chunked(latent);
    }

    private IEnumerable<(int Frame, Tensor Pixels)> Chunked(Tensor latent)
    {
        if (started) throw new InvalidOperationException($"tile {Tile} has decoded its chunks already: its frame cache is past them");
        started = true;
        for (int chunk = 0; chunk < Chunks.Count; chunk++)
        {
            var (start, end) = Chunks.Latent(chunk);
            Tensor pixels;
            // No scope stays open across the yield: the caller's tensors must not land in it.
            using (var scope = NewDisposeScope())
            using (var noGrad = no_grad())
                pixels = vae.Decode(latent[.., .., start..end], cache).MoveToOuterDisposeScope();
            yield return (Chunks.Pixels(chunk, vae.Config.TemporalDownsample).Start, pixels);
        }
    }

    public void Dispose() => cache.Dispose();
}
