using static TorchSharp.torch;

namespace Seaweed.Grains.Decoding;

/// <summary>Decoded pixels cut into <see cref="VideoBlock"/>s under a message budget, and blocks put together into the video.</summary>
public static class VideoBlocks
{
    /// <summary>
    /// (frames, rows) pieces of a (B, 3, frames, rows, W) block whose pieces each hold at most <paramref name="maxBytes"/>:
    /// whole frames while one fits, else rows of one frame (a single row may not be cut).
    /// </summary>
    public static IEnumerable<(int Frame, int Frames, int Row, int Rows)> Pieces(int frames, int rows, long bytesPerRow, int maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        if (bytesPerRow > maxBytes) throw new ArgumentException($"a row of {bytesPerRow} bytes is over the message budget of {maxBytes}", nameof(bytesPerRow));
        long perFrame = bytesPerRow * rows;
        if (perFrame <= maxBytes)
        {
            int step = (int)Math.Min(frames, maxBytes / Math.Max(1, perFrame));
            for (int f = 0; f < frames; f += step) yield return (f, Math.Min(step, frames - f), 0, rows);
            yield break;
        }
        int rowStep = (int)(maxBytes / bytesPerRow);
        for (int f = 0; f < frames; f++)
            for (int r = 0; r < rows; r += rowStep) yield return (f, 1, r, Math.Min(rowStep, rows - r));
    }

    /// <summary>Collects blocks into the video they came from; <see cref="Video"/> checks every pixel came exactly once.</summary>
    public sealed class Assembler : IDisposable
    {
        private readonly Dictionary<int, string> silos = [];
        private Tensor? video;
        private long written;

        /// <summary>The silo each tile was decoded on.</summary>
        public IReadOnlyDictionary<int, string> TileSilos => silos;

        public void Add(VideoBlock block)
        {
            ArgumentNullException.ThrowIfNull(block);
            using var scope = NewDisposeScope();
            video ??= zeros(block.VideoShape).DetachFromDisposeScope();
            if (!video.shape.SequenceEqual(block.VideoShape))
                throw new InvalidOperationException($"block of tile {block.Tile} belongs to a video [{string.Join(",", block.VideoShape)}], not [{string.Join(",", video.shape)}]");
            var pixels = FloatTensors.ToTensor(block.Pixels, nameof(block));
            long[] s = pixels.shape;
            video[.., .., block.Frame..(block.Frame + (int)s[2]), block.Top..(block.Top + (int)s[3]), block.Left..(block.Left + (int)s[4])] = pixels;
            written += pixels.numel();
            silos[block.Tile] = block.Silo;
        }

        /// <summary>The video (the caller owns it from now on).</summary>
        public Tensor Video()
        {
            var v = video ?? throw new InvalidOperationException("no block arrived");
            if (written != v.numel()) throw new InvalidOperationException($"blocks wrote {written} values of a video of {v.numel()}");
            video = null;
            return v;
        }

        public void Dispose() => video?.Dispose();
    }
}
