using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Orleans.Concurrency;
using Seaweed.Grains.Compute;
using Seaweed.Model.Tiling;

namespace Seaweed.Grains.Decoding;

/// <summary>
/// One tile of a decode job. Its decode runs on a worker thread of its own, not the silo's shared pool: the tiles of
/// a run wait for each other at every conv, so a pool smaller than the tiles it hosts would stall the run. The grain
/// only relays the worker's blocks, so <see cref="Deliver"/> and <see cref="Abort"/> are served meanwhile.
/// </summary>
public sealed class VaeTileGrain(VaeCatalog catalog, ILocalSiloDetails silo) : Grain, IVaeTileGrain
{
    /// <summary>Blocks a tile decodes ahead of its reader.</summary>
    public const int BufferedBlocks = 2;

    private TileRun? current;

    private sealed record TileRun(VaeTileSetup Setup, TileMailbox Mailbox, CancellationTokenSource Abort);

    private string Key => this.GetPrimaryKeyString();

    public Task<string> Prepare(VaeTileSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        var (_, tile) = DecodingKeys.ParseTile(Key);
        if (setup.Tile != tile) throw new ArgumentException($"Tile: setup of tile {setup.Tile} sent to tile grain {Key}", nameof(setup));
        FloatTensors.Check(setup.Latent, nameof(setup.Latent));
        current?.Abort.Cancel();
        current = new TileRun(setup, new TileMailbox(), new CancellationTokenSource());
        return Task.FromResult(silo.SiloAddress.ToParsableString());
    }

    public async IAsyncEnumerable<VideoBlock> Decode(Guid run, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var tile = Current(run);
        var setup = tile.Setup;
        string job = DecodingKeys.ParseTile(Key).JobId;
        int count = setup.RowHeights.Length * setup.ColumnWidths.Length;
        var peers = Enumerable.Range(0, count).Select(t => GrainFactory.GetGrain<IVaeTileGrain>(DecodingKeys.Tile(job, t))).ToArray();
        string address = silo.SiloAddress.ToParsableString();
        // Not disposed: the worker may still be reading its token when the stream has ended.
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, tile.Abort.Token);
        // Bounded: a slow reader holds the worker back instead of the tile's pixels piling up here. The worker is a
        // thread of its own, so it may block on a full channel.
        var blocks = Channel.CreateBounded<VideoBlock>(new BoundedChannelOptions(BufferedBlocks) { SingleReader = true, SingleWriter = true });

        var worker = new CpuWorkerPool(1, $"seaweed-tile-{Key}");
        Task<bool> work;
        try
        {
            work = worker.Run(() =>
            {
                var transport = new GrainTileTransport(peers, run, setup.Tile, tile.Mailbox, cancel.Token);
                TileWork.Decode(catalog.Get(setup.Model), setup, transport, address,
                    block => blocks.Writer.WriteAsync(block, cancel.Token).AsTask().GetAwaiter().GetResult(), cancel.Token);
                return true;
            }, cancel.Token);
        }
        catch
        {
            // Refused at once (aborted between Prepare and Decode): no continuation will dispose the worker's thread.
            worker.Dispose();
            throw;
        }
        _ = work.ContinueWith(t =>
        {
            blocks.Writer.TryComplete(t.Exception?.InnerException);
            worker.Dispose();
        }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);

        try
        {
            await foreach (var block in blocks.Reader.ReadAllAsync(cancellationToken)) yield return block;
            await work;
        }
        finally
        {
            // However the stream ends, the worker must not wait on for neighbours that have gone.
            if (!work.IsCompleted) await cancel.CancelAsync();
            if (ReferenceEquals(current, tile)) DeactivateOnIdle();
        }
    }

    public Task Deliver(Guid run, int from, long sequence, int part, Immutable<byte[]> payload)
    {
        if (current is not { } tile || tile.Setup.Run != run)
            throw new InvalidOperationException($"tile {Key} is not prepared for run {run}");
        tile.Mailbox.Deliver(from, new TileTag(sequence, part), payload.Value);
        return Task.CompletedTask;
    }

    public Task Abort(Guid run)
    {
        if (current is { } tile && tile.Setup.Run == run) tile.Abort.Cancel();
        return Task.CompletedTask;
    }

    private TileRun Current(Guid run) =>
        current is { } tile && tile.Setup.Run == run ? tile : throw new InvalidOperationException($"tile {Key} is not prepared for run {run}");
}
