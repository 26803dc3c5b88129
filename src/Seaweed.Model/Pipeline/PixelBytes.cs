using static TorchSharp.torch;

namespace Seaweed.Model.Pipeline;

/// <summary>The VAE's pixel tensors → packed RGB24, the layout video files and <c>VideoFrames</c> use.</summary>
public static class PixelBytes
{
    /// <summary>(1, 3, T, H, W) in [−1, 1] → T×H×W×3 bytes: x ↦ round((x + 1)·127.5), clamped to 0..255.</summary>
    public static byte[] ToRgb24(Tensor video)
    {
        if (video.dim() != 5 || video.shape[0] != 1 || video.shape[1] != 3)
            throw new ConfigException("video", $"expected (1, 3, T, H, W), got [{string.Join(",", video.shape)}]");
        using var scope = NewDisposeScope();
        var bytes = video[0].permute(1, 2, 3, 0).add(1).mul(127.5).round().clamp(0, 255).to(ScalarType.Byte).cpu().contiguous();
        return bytes.data<byte>().ToArray();
    }
}
