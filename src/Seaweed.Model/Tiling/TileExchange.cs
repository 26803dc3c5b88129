using static TorchSharp.torch;

namespace Seaweed.Model.Tiling;

/// <summary>Limits of a tile's messages: the largest payload of one message, and how long a receive waits.</summary>
public sealed record TileExchangeOptions
{
    /// <summary>Well under Orleans' 100 MiB message limit: tensors travel in parts of at most this many bytes.</summary>
    public int MaxMessageBytes { get; init; } = 16 << 20;
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(2);
}

/// <summary>
/// <see cref="ITileExchange"/> over point-to-point messages. A halo takes two rounds: columns with the left and right
/// neighbours, then rows with the top and bottom ones, of the tile already widened by its columns, so corners come
/// from the diagonal tiles through the middle one (and stay zero at the border). All-gather goes through tile 0,
/// which sends the stacked result back, so every tile gets the same bytes.
/// </summary>
public sealed class TileExchange : ITileExchange
{
    private const int Root = 0;

    private readonly TileGrid grid;
    private readonly int tile;
    private readonly ITileTransport transport;
    private readonly TileExchangeOptions options;
    private readonly CancellationToken cancellationToken;
    private long sequence;

    public TileExchange(TileGrid grid, int tile, ITileTransport transport, TileExchangeOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(transport);
        grid.Region(tile); // checks the index
        this.grid = grid;
        this.tile = tile;
        this.transport = transport;
        this.options = options ?? new TileExchangeOptions();
        this.cancellationToken = cancellationToken;
    }

    public Tensor PadWithHalo(Tensor x, int rows, int columns)
    {
        using var scope = NewDisposeScope();
        var widened = Swap(x, columns, 4, TileSide.Left, TileSide.Right);
        return Swap(widened, rows, 3, TileSide.Top, TileSide.Bottom).MoveToOuterDisposeScope();
    }

    public Tensor AllGather(Tensor local)
    {
        using var scope = NewDisposeScope();
        long gather = sequence++, scatter = sequence++;
        long[] stacked = [grid.Count, .. local.shape];
        if (tile != Root)
        {
            Send(Root, gather, local);
            return Receive(Root, scatter, stacked, local.dtype).MoveToOuterDisposeScope();
        }
        var all = stack(Enumerable.Range(0, grid.Count).Select(t => t == Root ? local : Receive(t, gather, local.shape, local.dtype)));
        for (int t = 0; t < grid.Count; t++)
            if (t != Root) Send(t, scatter, all);
        return all.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Sends the first and last <paramref name="pad"/> slices along <paramref name="dim"/> to the neighbours before and
    /// after, and frames <paramref name="x"/> with theirs (zeros where there is none).
    /// </summary>
    private Tensor Swap(Tensor x, int pad, int dim, TileSide before, TileSide after)
    {
        long tag = sequence++;
        if (pad == 0) return x.alias();
        long size = x.shape[dim];
        if (size < pad) throw new InvalidOperationException($"tile {tile} is {size} pixels across dimension {dim}, less than the halo {pad}");
        int? first = grid.Neighbour(tile, before), last = grid.Neighbour(tile, after);
        if (first is int f) Send(f, tag, x.narrow(dim, 0, pad));
        if (last is int l) Send(l, tag, x.narrow(dim, size - pad, pad));
        var shape = x.shape.ToArray();
        shape[dim] = pad;
        Tensor Edge(int? from) => from is int t ? Receive(t, tag, shape, x.dtype) : zeros(shape, x.dtype);
        return cat([Edge(first), x, Edge(last)], dim);
    }

    private void Send(int to, long tag, Tensor tensor)
    {
        var parts = TensorBytes.Split(tensor, options.MaxMessageBytes);
        for (int part = 0; part < parts.Length; part++) transport.Send(to, new TileTag(tag, part), parts[part]);
    }

    private Tensor Receive(int from, long tag, long[] shape, ScalarType dtype)
    {
        long bytes = shape.Aggregate(1L, (a, b) => a * b) * TensorBytes.ElementSize(dtype);
        var parts = Enumerable.Range(0, TensorBytes.PartCount(bytes, options.MaxMessageBytes))
            .Select(part => transport.Receive(from, new TileTag(tag, part), options.Timeout, cancellationToken))
            .ToArray();
        return TensorBytes.Join(parts, shape, dtype);
    }
}
