using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Seaweed.Grains.Compute;
using Seaweed.Grains.Training;
using Seaweed.Model;
using Seaweed.Model.Tiling;
using static TorchSharp.torch;

namespace Seaweed.Grains.Decoding;

/// <summary>
/// Drives one decode: checks the request and cuts the latent on the silo's worker, places tile i on the i-th active
/// silo (round-robin, so a grid of two tiles or more crosses silos whenever the cluster has several), prepares every
/// tile of a fresh run, then relays their blocks as they come. The first tile to fail aborts the others.
/// </summary>
public sealed class VaeDecodeGrain(VaeCatalog catalog, CpuWorkerPool workers, IClusterMembershipService membership) : Grain, IVaeDecodeGrain
{
    /// <summary>How long a tile waits for a neighbour's message before giving up on the run.</summary>
    public static readonly TimeSpan TileTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Below this a tile's halo would travel in absurdly many parts.</summary>
    public const int MinMessageBytes = 1024;

    private bool decoding;

    public async IAsyncEnumerable<VideoBlock> Decode(VaeDecodeRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (decoding) throw new InvalidOperationException($"decode job '{this.GetPrimaryKeyString()}' is already decoding: one decode at a time per job");
        decoding = true;
        var run = Guid.NewGuid();
        IVaeTileGrain[] tiles = [];
        CancellationTokenSource? failed = null;
        bool finished = false;
        try
        {
            var setups = await workers.Run(() => Plan(catalog, request, run), cancellationToken);
            tiles = setups.Select(s => GrainFactory.GetGrain<IVaeTileGrain>(DecodingKeys.Tile(this.GetPrimaryKeyString(), s.Tile))).ToArray();
            var silos = membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Active)
                .Select(m => m.SiloAddress).OrderBy(a => a.ToParsableString(), StringComparer.Ordinal).ToArray();
            await Task.WhenAll(setups.Select((s, i) => PlacementHint.On(silos[i % silos.Length], () => tiles[i].Prepare(s))));

            // Bounded, as the tiles' own streams are: a slow caller holds the tiles back rather than the whole video
            // piling up here.
            var blocks = Channel.CreateBounded<VideoBlock>(new BoundedChannelOptions(VaeTileGrain.BufferedBlocks) { SingleReader = true });
            var failing = failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var pumps = tiles.Select(async tile =>
            {
                try
                {
                    await foreach (var block in tile.Decode(run, failing.Token).WithBatchSize(1)) await blocks.Writer.WriteAsync(block, failing.Token);
                }
                catch (Exception) when (!failing.IsCancellationRequested)
                {
                    failing.Cancel(); // the other tiles' streams end, and their decodes are aborted below
                    throw;
                }
            }).ToArray();
            var all = Task.WhenAll(pumps);
            _ = all.ContinueWith(t => blocks.Writer.TryComplete(), TaskScheduler.Current);

            await foreach (var block in blocks.Reader.ReadAllAsync(cancellationToken)) yield return block;
            await RootCause(pumps);
            finished = true;
        }
        finally
        {
            decoding = false;
            if (!finished)
            {
                // A caller that stopped reading leaves pumps waiting on the full channel: they end with the tiles.
                failed?.Cancel();
                await Abort(tiles, run);
            }
            failed?.Dispose();
        }
    }

    /// <summary>
    /// Waits for the pumps and throws the run's cause: a tile's own failure before a neighbour's failed delivery to
    /// it, and either before a decode cut short because of them, whatever order the tiles reported in.
    /// </summary>
    internal static async Task RootCause(Task[] pumps)
    {
        try
        {
            await Task.WhenAll(pumps);
        }
        catch (Exception)
        {
            var errors = pumps.Where(p => !p.IsCompletedSuccessfully)
                .Select(p => p.Exception?.InnerException ?? new TaskCanceledException(p)).ToArray();
            var cause = errors.FirstOrDefault(e => e is not (TileUnreachableException or OperationCanceledException))
                ?? errors.FirstOrDefault(e => e is TileUnreachableException) ?? errors[0];
            ExceptionDispatchInfo.Throw(cause);
        }
    }

    /// <summary>Ends every tile's part in the run; a tile that cannot be reached has no decode left to end.</summary>
    private static async Task Abort(IVaeTileGrain[] tiles, Guid run)
    {
        try
        {
            await Task.WhenAll(tiles.Select(t => t.Abort(run)));
        }
        catch (Exception e) when (e is SiloUnavailableException or TimeoutException or OrleansMessageRejectionException) { }
    }

    /// <summary>
    /// The request checked against the model's VAE, and each tile's setup with its region of the latent. Bad input is
    /// an ArgumentException whose parameter is the request's field: ConfigException has no wire codec.
    /// </summary>
    private static VaeTileSetup[] Plan(VaeCatalog catalog, VaeDecodeRequest request, Guid run)
    {
        try
        {
            return Setups(catalog, request, run);
        }
        catch (ConfigException e)
        {
            throw new ArgumentException(e.Reason, e.Field);
        }
    }

    private static VaeTileSetup[] Setups(VaeCatalog catalog, VaeDecodeRequest request, Guid run)
    {
        if (string.IsNullOrWhiteSpace(request.Model)) throw new ConfigException("model", "is missing");
        if (request.MaxMessageBytes < MinMessageBytes) throw new ConfigException("maxMessageBytes", $"{request.MaxMessageBytes} must be at least {MinMessageBytes}");
        if (request.Tiles is not { } layout) throw new ConfigException("tiles", "is missing");
        var vae = catalog.Get(request.Model);
        using var scope = NewDisposeScope();
        var latent = FloatTensors.ToTensor(request.Latent, "latent");
        if (latent.dim() != 5 || latent.shape[1] != vae.Config.LatentChannels || latent.shape[2] < 1)
            throw new ConfigException("latent", $"expected (B, {vae.Config.LatentChannels}, T ≥ 1, H, W), got [{string.Join(",", latent.shape)}]");
        int frames = (int)latent.shape[2], height = (int)latent.shape[3], width = (int)latent.shape[4];
        var grid = Grid(layout, height, width, TileDecoder.Halo(vae));
        var chunks = request.ChunkFrames is int c ? FrameChunks.Streaming(frames, c) : FrameChunks.Whole(frames);
        return Enumerable.Range(0, grid.Count).Select(tile =>
        {
            var region = FloatTensors.From(InProcessTiledDecode.Region(latent, grid.Region(tile)));
            if (region.Data.Length > request.MaxMessageBytes)
                throw new ConfigException("tiles", $"tile {tile}'s latent of {region.Data.Length} bytes is over maxMessageBytes {request.MaxMessageBytes}: use more tiles");
            return new VaeTileSetup(run, request.Model, tile, Sizes(grid.RowBounds), Sizes(grid.ColumnBounds), [.. chunks.Bounds], region, request.MaxMessageBytes, TileTimeout);
        }).ToArray();
    }

    private static TileGrid Grid(TileLayout layout, int height, int width, int halo)
    {
        if (layout.RowHeights is null && layout.ColumnWidths is null)
            return Field("tiles.", () => TileGrid.Even(height, width, layout.Rows, layout.Columns, halo));
        if (layout.RowHeights?.Length != layout.Rows) throw new ConfigException("tiles.rowHeights", $"must list the {layout.Rows} rows' heights");
        if (layout.ColumnWidths?.Length != layout.Columns) throw new ConfigException("tiles.columnWidths", $"must list the {layout.Columns} columns' widths");
        var grid = Field("tiles.", () => TileGrid.FromSizes(layout.RowHeights, layout.ColumnWidths, halo));
        grid.CheckCovers(height, width);
        return grid;
    }

    /// <summary>Runs <paramref name="make"/>, naming its bad input as a field of the request under <paramref name="prefix"/>.</summary>
    private static T Field<T>(string prefix, Func<T> make)
    {
        try
        {
            return make();
        }
        catch (ConfigException e)
        {
            throw new ConfigException(prefix + e.Field, e.Reason);
        }
    }

    private static int[] Sizes(IReadOnlyList<int> bounds) => [.. bounds.Skip(1).Select((b, i) => b - bounds[i])];
}
