using Orleans.Concurrency;

namespace Seaweed.Grains.Decoding;

/// <summary>
/// One tile of a decode job (key <c>{job}/{tile}</c>). The job prepares every tile of a run, then streams each one's
/// pixels; while a tile decodes, its neighbours' halos and the norm statistics arrive through <see cref="Deliver"/>.
/// </summary>
public interface IVaeTileGrain : IGrainWithStringKey
{
    /// <summary>Takes the run's setup and opens its mailbox (dropping any older run's); returns the silo the tile lives on.</summary>
    Task<string> Prepare(VaeTileSetup setup);

    /// <summary>Decodes the prepared run on a worker thread of its own, streaming the tile's pixels chunk by chunk.</summary>
    [ResponseTimeout("00:30:00")]
    IAsyncEnumerable<VideoBlock> Decode(Guid run, CancellationToken cancellationToken = default);

    /// <summary>A message from tile <paramref name="from"/>; served beside a decode that waits for it. A run this tile
    /// is not prepared for is refused, which breaks the sender's decode.</summary>
    [AlwaysInterleave]
    Task Deliver(Guid run, int from, long sequence, int part, Immutable<byte[]> payload);

    /// <summary>Ends the run's decode: another tile has failed.</summary>
    [AlwaysInterleave]
    Task Abort(Guid run);
}
