namespace Seaweed.Grains.Decoding;

/// <summary>
/// One exact tiled VAE decode (key: job id). The latent is cut into a grid of tiles, one <see cref="IVaeTileGrain"/>
/// each, spread over the cluster's silos; the tiles exchange halos and norm statistics with each other, so the video
/// equals whole-frame decode. One decode at a time per job.
/// </summary>
public interface IVaeDecodeGrain : IGrainWithStringKey
{
    /// <summary>
    /// The decoded video as blocks, in the order the tiles finish them; together they cover it exactly once.
    /// Bad input throws an ArgumentException naming the field; a failed tile aborts the others and its error is
    /// thrown. Read it with <c>WithBatchSize(1)</c>: a block may be as large as the message budget.
    /// </summary>
    [ResponseTimeout("00:30:00")]
    IAsyncEnumerable<VideoBlock> Decode(VaeDecodeRequest request, CancellationToken cancellationToken = default);
}
