using System.Text.Json.Serialization;

namespace Seaweed.Data;

/// <summary>
/// A video as packed RGB24 frames: <see cref="Data"/> holds T×H×W×3 bytes, frame-major, row-major, R G B.
/// Images are one-frame videos. The layout is what ffmpeg's rawvideo rgb24 pipe produces and consumes.
/// </summary>
public sealed class VideoFrames
{
    public VideoFrames(int width, int height, int frameCount, double fps, byte[]? data = null)
    {
        if (width <= 0) throw new ArgumentOutOfRangeException(nameof(width), width, "width must be positive");
        if (height <= 0) throw new ArgumentOutOfRangeException(nameof(height), height, "height must be positive");
        if (frameCount <= 0) throw new ArgumentOutOfRangeException(nameof(frameCount), frameCount, "frameCount must be positive");
        if (!double.IsFinite(fps) || fps <= 0) throw new ArgumentOutOfRangeException(nameof(fps), fps, "fps must be a positive number");
        long bytes = (long)width * height * 3 * frameCount;
        if (bytes > Array.MaxLength) throw new ArgumentOutOfRangeException(nameof(frameCount), frameCount, $"{width}x{height}x{frameCount} frames do not fit in one buffer");
        if (data is not null && data.Length != bytes)
            throw new ArgumentException($"data has {data.Length} bytes, {width}x{height}x{frameCount} RGB24 frames need {bytes}", nameof(data));
        Width = width;
        Height = height;
        FrameCount = frameCount;
        Fps = fps;
        Data = data ?? new byte[bytes];
    }

    public int Width { get; }
    public int Height { get; }
    public int FrameCount { get; }
    public double Fps { get; }
    public byte[] Data { get; }

    public int FrameBytes => Width * Height * 3;
    public double DurationSeconds => FrameCount / Fps;

    public Span<byte> Frame(int t) => Data.AsSpan(FrameOffset(t), FrameBytes);
    public ReadOnlySpan<byte> ReadFrame(int t) => Data.AsSpan(FrameOffset(t), FrameBytes);

    /// <summary>Frames [start, start+count) as a new video (copied).</summary>
    public VideoFrames Slice(int start, int count)
    {
        if (start < 0 || count <= 0 || start + count > FrameCount)
            throw new ArgumentOutOfRangeException(nameof(count), $"frames [{start}, {start + count}) are outside 0..{FrameCount}");
        return new VideoFrames(Width, Height, count, Fps, Data.AsSpan(FrameOffset(start), count * FrameBytes).ToArray());
    }

    /// <summary>The pixel rectangle (x, y, w, h) of every frame as a new video (copied).</summary>
    public VideoFrames Crop(PixelRect rect)
    {
        if (rect.X < 0 || rect.Y < 0 || rect.Width <= 0 || rect.Height <= 0 || rect.Right > Width || rect.Bottom > Height)
            throw new ArgumentOutOfRangeException(nameof(rect), rect, $"crop is outside the {Width}x{Height} frame");
        var result = new VideoFrames(rect.Width, rect.Height, FrameCount, Fps);
        int rowBytes = rect.Width * 3;
        for (int t = 0; t < FrameCount; t++)
        {
            var src = ReadFrame(t);
            var dst = result.Frame(t);
            for (int y = 0; y < rect.Height; y++)
                src.Slice(((rect.Y + y) * Width + rect.X) * 3, rowBytes).CopyTo(dst.Slice(y * rowBytes, rowBytes));
        }
        return result;
    }

    private int FrameOffset(int t)
    {
        if ((uint)t >= (uint)FrameCount) throw new ArgumentOutOfRangeException(nameof(t), t, $"frame index outside 0..{FrameCount - 1}");
        return t * FrameBytes;
    }
}

/// <summary>An axis-aligned pixel rectangle; Right and Bottom are exclusive.</summary>
public readonly record struct PixelRect(int X, int Y, int Width, int Height)
{
    [JsonIgnore]
    public int Right => X + Width;
    [JsonIgnore]
    public int Bottom => Y + Height;
    [JsonIgnore]
    public long Area => (long)Math.Max(0, Width) * Math.Max(0, Height);

    public double IoU(PixelRect other)
    {
        int x0 = Math.Max(X, other.X), y0 = Math.Max(Y, other.Y);
        int x1 = Math.Min(Right, other.Right), y1 = Math.Min(Bottom, other.Bottom);
        long inter = (long)Math.Max(0, x1 - x0) * Math.Max(0, y1 - y0);
        long union = Area + other.Area - inter;
        return union == 0 ? 0 : (double)inter / union;
    }
}
