using Seaweed.Data;
using static TorchSharp.torch;

namespace Seaweed.Training.Samples;

/// <summary>RGB24 frames ↔ the VAE's pixel tensors.</summary>
public static class PixelTensor
{
    /// <summary>(1, 3, T, H, W) float32 in [−1, 1]: byte b ↦ b/127.5 − 1.</summary>
    public static Tensor FromFrames(VideoFrames frames, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(frames);
        using var scope = NewDisposeScope();
        var bytes = tensor(frames.Data, [frames.FrameCount, frames.Height, frames.Width, 3]);
        var video = bytes.permute(3, 0, 1, 2).unsqueeze(0).to(float32).div(127.5).sub(1);
        return (device is null ? video.contiguous() : video.to(device).contiguous()).MoveToOuterDisposeScope();
    }
}
