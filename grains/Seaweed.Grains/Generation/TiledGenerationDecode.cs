using System.Diagnostics;
using Seaweed.Grains.Decoding;
using Seaweed.Model;
using Seaweed.Model.Pipeline;
using Seaweed.Model.Tiling;

namespace Seaweed.Grains.Generation;

/// <summary>
/// A job's sampled latent decoded on a grid of tiles spread over the cluster's silos, through the exact tiled decode
/// (<see cref="IVaeDecodeGrain"/>): the same frames as the job's own chunked decode, with a frame's memory shared
/// among the tiles.
/// </summary>
public static class TiledGenerationDecode
{
    /// <summary>
    /// Throws <see cref="GenerationInputException"/> naming <c>tiles</c> unless <paramref name="tiles"/> fits the latent
    /// of a <paramref name="width"/> × <paramref name="height"/> video: every tile at least one latent pixel across.
    /// </summary>
    public static void Check(DecodeTiles tiles, SeaweedConfig config, int width, int height)
    {
        int ds = config.Vae.SpatialDownsample;
        try
        {
            TileGrid.Even(height / ds, width / ds, tiles.Rows, tiles.Columns);
        }
        catch (ConfigException e)
        {
            throw new GenerationInputException("tiles", $"{tiles.Rows}x{tiles.Columns} does not fit the {width / ds}x{height / ds} latent ({e.Field}: {e.Reason})");
        }
    }

    /// <summary>
    /// Decodes <paramref name="sampled"/> (whose latent is already <paramref name="latent"/> on the wire) as decode job
    /// <paramref name="job"/>, <paramref name="chunkFrames"/> latent frames at a time; returns the video and the silos
    /// its tiles ran on, in tile order.
    /// </summary>
    public static async Task<(GeneratedVideo Video, string[] Silos)> DecodeAsync(IGrainFactory grains, string job, string model, FloatTensor latent,
        SampledLatent sampled, DecodeTiles tiles, int chunkFrames, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var request = new VaeDecodeRequest(model, latent, new TileLayout(tiles.Rows, tiles.Columns), chunkFrames);
        var decoded = await grains.GetGrain<IVaeDecodeGrain>(job).DecodeAsync(request, cancellationToken);
        using var pixels = decoded.Video;
        double seconds = watch.Elapsed.TotalSeconds;
        // Off the grain's scheduler: quantising the frames is compute.
        var video = await Task.Run(() => sampled.Video(pixels, seconds), cancellationToken);
        return (video, decoded.TileSilos.OrderBy(t => t.Key).Select(t => t.Value).Distinct().ToArray());
    }
}
