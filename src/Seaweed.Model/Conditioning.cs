using static TorchSharp.torch;

namespace Seaweed.Model;

public enum GenerationTask
{
    /// <summary>Text to video: no frame is given.</summary>
    TextToVideo,
    /// <summary>Image to video: latent frame 0 (the image) is given.</summary>
    ImageToVideo,
    /// <summary>Video continuation: the first latent frames of a clip are given.</summary>
    VideoToVideo,
}

/// <summary>
/// The DiT's condition channels: a latent holding the given frames (zeros elsewhere) and a binary mask marking
/// them, channel-concatenated with the noisy latent.
/// </summary>
public static class Conditioning
{
    /// <summary>Latent frames a video continuation is given by default.</summary>
    public const int ContinuationFrames = 2;

    /// <summary>Condition for <paramref name="totalFrames"/> latent frames whose first frames are <paramref name="given"/> (B, C, k, H, W).</summary>
    public static (Tensor Condition, Tensor Mask) FromGiven(Tensor given, long totalFrames)
    {
        long b = given.shape[0], c = given.shape[1], k = given.shape[2], h = given.shape[3], w = given.shape[4];
        if (k > totalFrames) throw new ConfigException("condition.frames", $"{k} given latent frames exceed the {totalFrames} generated");
        using var scope = NewDisposeScope();
        var condition = zeros([b, c, totalFrames, h, w], dtype: given.dtype, device: given.device);
        var mask = zeros([b, 1, totalFrames, h, w], dtype: given.dtype, device: given.device);
        condition[.., .., ..(int)k] = given;
        mask[.., .., ..(int)k] = 1;
        return (condition.MoveToOuterDisposeScope(), mask.MoveToOuterDisposeScope());
    }

    /// <summary>Training condition for a task, taken from the clean latent <paramref name="x0"/> (B, C, F, H, W).</summary>
    public static (Tensor Condition, Tensor Mask) ForTask(Tensor x0, GenerationTask task)
    {
        long given = task switch
        {
            GenerationTask.TextToVideo => 0,
            GenerationTask.ImageToVideo => 1,
            _ => Math.Min(ContinuationFrames, x0.shape[2] - 1),
        };
        return FromGiven(x0[.., .., ..(int)given], x0.shape[2]);
    }
}
