using Orleans.Concurrency;
using Seaweed.Model.Tiling;

namespace Seaweed.Grains.Decoding;

/// <summary>
/// Tile-to-tile delivery through grain calls: a send calls the peer's <see cref="IVaeTileGrain.Deliver"/> with the
/// payload as <see cref="Immutable{T}"/> (no copy within a silo) and returns at once; a receive takes from this
/// tile's mailbox. A failed send breaks the transport: every later send or receive fails with its reason.
/// </summary>
internal sealed class GrainTileTransport : ITileTransport
{
    private readonly IVaeTileGrain[] peers;
    private readonly Guid run;
    private readonly int tile;
    private readonly TileMailbox mailbox;
    private readonly CancellationTokenSource broken; // not disposed: a send's continuation may fire after the run
    private TileUnreachableException? failure;

    public GrainTileTransport(IVaeTileGrain[] peers, Guid run, int tile, TileMailbox mailbox, CancellationToken abort)
    {
        this.peers = peers;
        this.run = run;
        this.tile = tile;
        this.mailbox = mailbox;
        broken = CancellationTokenSource.CreateLinkedTokenSource(abort);
    }

    public void Send(int to, TileTag tag, byte[] payload)
    {
        ThrowIfBroken();
        peers[to].Deliver(run, tile, tag.Sequence, tag.Part, new Immutable<byte[]>(payload)).ContinueWith(t =>
        {
            Interlocked.CompareExchange(ref failure, new TileUnreachableException($"tile {tile} could not deliver to tile {to}: {t.Exception!.InnerException?.Message}"), null);
            broken.Cancel();
        }, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public byte[] Receive(int from, TileTag tag, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, broken.Token);
        try
        {
            return mailbox.Take(from, tag, timeout, linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            ThrowIfBroken();
            throw;
        }
    }

    private void ThrowIfBroken()
    {
        if (Volatile.Read(ref failure) is { } e) throw new TileUnreachableException(e.Message);
    }
}
