using Seaweed.Data.Imaging;
using Seaweed.Data.World;

namespace Seaweed.Data.Tests.Curation;

/// <summary>Small videos assembled frame by frame from world shots, for edge cases of shot and border detection.</summary>
internal static class CraftedVideo
{
    public const int Width = 64, Height = 48;

    /// <summary>World clip <paramref name="index"/> rendered at 64×48, <paramref name="frames"/> long.</summary>
    public static VideoFrames Shot(long index, int frames) =>
        new WorldGenerator(new WorldOptions { Seed = 3, Sizes = [(Width, Height)], FrameCounts = [Math.Max(2, frames)], StillFraction = 0 })
            .Clip(index).Render().Slice(0, frames);

    public static VideoFrames Black(int frames) => new(Width, Height, frames, 8);

    public static VideoFrames Concat(params VideoFrames[] parts)
    {
        var result = new VideoFrames(parts[0].Width, parts[0].Height, parts.Sum(p => p.FrameCount), parts[0].Fps);
        int t = 0;
        foreach (var part in parts)
            for (int k = 0; k < part.FrameCount; k++) part.ReadFrame(k).CopyTo(result.Frame(t++));
        return result;
    }

    /// <summary>Frames of <paramref name="video"/>, each scaled by its own gain.</summary>
    public static VideoFrames Gains(VideoFrames video, params double[] gains)
    {
        var result = new VideoFrames(video.Width, video.Height, gains.Length, video.Fps);
        for (int k = 0; k < gains.Length; k++)
        {
            var src = video.ReadFrame(k);
            var dst = result.Frame(k);
            for (int i = 0; i < dst.Length; i++) dst[i] = FrameOps.ToByte(src[i] * gains[k]);
        }
        return result;
    }

    /// <summary>The first frames of <paramref name="from"/> blended towards <paramref name="into"/> on an even ramp.</summary>
    public static VideoFrames Blend(VideoFrames from, VideoFrames into, int frames)
    {
        var result = new VideoFrames(from.Width, from.Height, frames, from.Fps);
        for (int k = 0; k < frames; k++)
        {
            double a = (k + 1.0) / (frames + 1);
            var x = from.ReadFrame(k);
            var y = into.ReadFrame(k);
            var dst = result.Frame(k);
            for (int i = 0; i < dst.Length; i++) dst[i] = FrameOps.ToByte(x[i] * (1 - a) + y[i] * a);
        }
        return result;
    }

    /// <summary>The video inside black bars of the given widths.</summary>
    public static VideoFrames WithBars(VideoFrames video, int top, int left)
    {
        var result = new VideoFrames(video.Width + 2 * left, video.Height + 2 * top, video.FrameCount, video.Fps);
        int rowBytes = video.Width * 3;
        for (int t = 0; t < video.FrameCount; t++)
            for (int y = 0; y < video.Height; y++)
                video.ReadFrame(t).Slice(y * rowBytes, rowBytes).CopyTo(result.Frame(t).Slice(((y + top) * result.Width + left) * 3, rowBytes));
        return result;
    }
}
