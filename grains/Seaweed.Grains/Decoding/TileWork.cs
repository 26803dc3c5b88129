using Seaweed.Model;
using Seaweed.Model.Tiling;
using static TorchSharp.torch;

namespace Seaweed.Grains.Decoding;

/// <summary>A tile's decode on its worker thread: its latent region chunk by chunk, the pixels cut into blocks under the message budget.</summary>
internal static class TileWork
{
    public static void Decode(CausalVae vae, VaeTileSetup setup, ITileTransport transport, string silo, Action<VideoBlock> emit, CancellationToken cancellationToken)
    {
        var grid = TileGrid.FromSizes(setup.RowHeights, setup.ColumnWidths, TileDecoder.Halo(vae));
        var chunks = FrameChunks.FromBounds(setup.FrameBounds);
        var options = new TileExchangeOptions { MaxMessageBytes = setup.MaxMessageBytes, Timeout = setup.Timeout };
        using var scope = NewDisposeScope();
        using var decoder = new TileDecoder(vae, grid, chunks, setup.Tile, transport, options, cancellationToken);
        var c = vae.Config;
        long[] videoShape = [setup.Latent.Shape[0], 3, 1 + c.TemporalDownsample * (chunks.Frames - 1), (long)grid.Height * c.SpatialDownsample, (long)grid.Width * c.SpatialDownsample];
        var p = decoder.Pixels;
        foreach (var (frame, pixels) in decoder.Decode(FloatTensors.ToTensor(setup.Latent, nameof(setup.Latent))))
            using (pixels)
            {
                long bytesPerRow = pixels.shape[0] * pixels.shape[1] * pixels.shape[4] * sizeof(float);
                foreach (var (f, frames, r, rows) in VideoBlocks.Pieces((int)pixels.shape[2], (int)pixels.shape[3], bytesPerRow, setup.MaxMessageBytes))
                    using (var piece = NewDisposeScope())
                        emit(new VideoBlock(setup.Tile, silo, videoShape, frame + f, p.Top + r, p.Left,
                            FloatTensors.From(pixels[.., .., f..(f + frames), r..(r + rows)])));
            }
    }
}
