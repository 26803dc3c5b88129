using static TorchSharp.torch;

namespace Seaweed.Model.Tiling;

/// <summary>
/// An exact tiled decode within one process: one thread per tile, messages through <see cref="InProcessTileTransport"/>,
/// each tile writing its pixels straight into the video. A failing tile cancels the others' waits.
/// </summary>
public static class InProcessTiledDecode
{
    /// <summary>
    /// Latent (B, C, T, H, W) → video (B, 3, 1 + dt·(T − 1), H·ds, W·ds), equal to <see cref="CausalVae.Decode"/>.
    /// <paramref name="wrap"/> sees (and may replace) each tile's transport, e.g. to record what it receives.
    /// </summary>
    public static Tensor Run(CausalVae vae, Tensor latent, TileGrid grid, FrameChunks chunks, TileExchangeOptions? options = null,
        Func<int, ITileTransport, ITileTransport>? wrap = null)
    {
        ArgumentNullException.ThrowIfNull(vae);
        ArgumentNullException.ThrowIfNull(latent);
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(chunks);
        var c = vae.Config;
        if (latent.dim() != 5 || latent.shape[1] != c.LatentChannels)
            throw new ConfigException("latent", $"expected (B, {c.LatentChannels}, T, H, W), got [{string.Join(",", latent.shape)}]");
        chunks.CheckCovers((int)latent.shape[2]);
        grid.CheckCovers((int)latent.shape[3], (int)latent.shape[4]);

        var transports = InProcessTileTransport.Create(grid.Count);
        int frames = 1 + c.TemporalDownsample * (chunks.Frames - 1);
        var video = empty([latent.shape[0], 3, frames, grid.Height * c.SpatialDownsample, grid.Width * c.SpatialDownsample]);
        using var failed = new CancellationTokenSource();
        var errors = new Exception?[grid.Count];
        var threads = Enumerable.Range(0, grid.Count).Select(tile => new Thread(() =>
        {
            try
            {
                var transport = wrap?.Invoke(tile, transports[tile]) ?? transports[tile];
                DecodeTile(vae, latent, video, grid, chunks, tile, transport, options, failed.Token);
            }
            catch (Exception e)
            {
                errors[tile] = e;
                failed.Cancel();
            }
        }) { IsBackground = true, Name = $"seaweed-tile-{tile}" }).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();

        // The first cause, not the cancellations it set off in the other tiles.
        var error = errors.FirstOrDefault(e => e is not null and not OperationCanceledException) ?? errors.FirstOrDefault(e => e is not null);
        if (error is not null)
        {
            video.Dispose();
            throw new AggregateException($"tiled decode over {grid} failed", error);
        }
        return video;
    }

    /// <summary>One tile's decode of its region of <paramref name="latent"/>, its pixels written into <paramref name="video"/>.</summary>
    private static void DecodeTile(CausalVae vae, Tensor latent, Tensor video, TileGrid grid, FrameChunks chunks, int tile, ITileTransport transport,
        TileExchangeOptions? options, CancellationToken cancellationToken)
    {
        using var scope = NewDisposeScope();
        using var decoder = new TileDecoder(vae, grid, chunks, tile, transport, options, cancellationToken);
        var p = decoder.Pixels;
        foreach (var (frame, pixels) in decoder.Decode(Region(latent, grid.Region(tile))))
            using (pixels)
                video[.., .., frame..(frame + (int)pixels.shape[2]), p.Top..(p.Top + p.Height), p.Left..(p.Left + p.Width)] = pixels;
    }

    /// <summary>The tile's rectangle of every frame of (B, C, T, H, W): a view.</summary>
    public static Tensor Region(Tensor latent, TileRegion r) =>
        latent[.., .., .., r.Top..(r.Top + r.Height), r.Left..(r.Left + r.Width)];
}
