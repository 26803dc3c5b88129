using static TorchSharp.torch;

namespace Seaweed.Grains.Decoding;

/// <summary>A decoded video and the silo each of its tiles was decoded on.</summary>
public sealed record DecodedVideo(Tensor Video, IReadOnlyDictionary<int, string> TileSilos);

public static class VaeDecoding
{
    /// <summary>
    /// Latent in, frames out: runs the decode job and puts its blocks together into the video (B, 3, T, H, W), which
    /// the caller owns. Blocks are taken one per message, whatever their size.
    /// </summary>
    public static async Task<DecodedVideo> DecodeAsync(this IVaeDecodeGrain grain, VaeDecodeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grain);
        using var assembler = new VideoBlocks.Assembler();
        await foreach (var block in grain.Decode(request, cancellationToken).WithBatchSize(1).WithCancellation(cancellationToken)) assembler.Add(block);
        return new DecodedVideo(assembler.Video(), assembler.TileSilos.ToDictionary());
    }
}
