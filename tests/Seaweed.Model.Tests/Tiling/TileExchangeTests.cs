using Seaweed.Model.Tiling;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Seaweed.Model.Tests.Tiling;

public class TileExchangeTests
{
    /// <summary>Runs <paramref name="work"/> for every tile on a thread of its own; returns the results by tile.</summary>
    internal static T[] OnTileThreads<T>(TileGrid grid, Func<int, ITileTransport, T> work, Func<int, ITileTransport, ITileTransport>? wrap = null)
    {
        var transports = InProcessTileTransport.Create(grid.Count);
        var results = new T[grid.Count];
        var errors = new Exception?[grid.Count];
        var threads = Enumerable.Range(0, grid.Count).Select(t => new Thread(() =>
        {
            try { results[t] = work(t, wrap?.Invoke(t, transports[t]) ?? transports[t]); }
            catch (Exception e) { errors[t] = e; }
        })).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        if (errors.FirstOrDefault(e => e is not null) is { } error) throw error;
        return results;
    }

    private static Tensor Crop(Tensor x, TileRegion r, int rows, int columns) =>
        x[.., .., .., r.Top..(r.Top + r.Height + 2 * rows), r.Left..(r.Left + r.Width + 2 * columns)];

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(1, 2)]
    public void A_halo_is_the_whole_frames_zero_padded_neighbourhood_corners_included(int rows, int columns)
    {
        var grid = TileGrid.FromSizes([2, 3, 2], [3, 2]);
        manual_seed(1);
        var frame = randn([2, 3, 2, grid.Height, grid.Width]);
        var padded = F.pad(frame, [columns, columns, rows, rows]);
        var halos = OnTileThreads(grid, (tile, transport) =>
        {
            var r = grid.Region(tile);
            var exchange = new TileExchange(grid, tile, transport);
            return exchange.PadWithHalo(frame[.., .., .., r.Top..(r.Top + r.Height), r.Left..(r.Left + r.Width)], rows, columns);
        });
        for (int tile = 0; tile < grid.Count; tile++)
            Assert.Equal(0, TensorAssert.MaxAbsDiff(Crop(padded, grid.Region(tile), rows, columns), halos[tile]));
    }

    [Fact]
    public void All_gather_gives_every_tile_every_tiles_tensor_in_tile_order()
    {
        var grid = TileGrid.Even(4, 6, 2, 3);
        var gathered = OnTileThreads(grid, (tile, transport) =>
            new TileExchange(grid, tile, transport).AllGather(full([2, 3], tile + 0.5, ScalarType.Float64)));
        var expected = stack(Enumerable.Range(0, grid.Count).Select(t => full([2, 3], t + 0.5, ScalarType.Float64)));
        foreach (var g in gathered) Assert.Equal(0, TensorAssert.MaxAbsDiff(expected, g));
    }

    [Fact]
    public void Tensors_over_the_message_budget_travel_in_parts()
    {
        var grid = TileGrid.Even(4, 4, 2, 2);
        manual_seed(2);
        var frame = randn([1, 5, 3, 4, 4]);
        var options = new TileExchangeOptions { MaxMessageBytes = 24 };
        var largest = new int[grid.Count];
        var halos = OnTileThreads(grid, (tile, transport) =>
        {
            var r = grid.Region(tile);
            return new TileExchange(grid, tile, transport, options).PadWithHalo(frame[.., .., .., r.Top..(r.Top + 2), r.Left..(r.Left + 2)], 1, 1);
        }, (tile, inner) => new Spy(inner, bytes => largest[tile] = Math.Max(largest[tile], bytes)));
        var padded = F.pad(frame, [1, 1, 1, 1]);
        for (int tile = 0; tile < grid.Count; tile++) Assert.Equal(0, TensorAssert.MaxAbsDiff(Crop(padded, grid.Region(tile), 1, 1), halos[tile]));
        Assert.All(largest, bytes => Assert.Equal(24, bytes)); // column edges are 5·3·2·1 floats = 120 bytes: 5 parts
    }

    [Fact]
    public void A_neighbour_that_never_sends_times_out()
    {
        var grid = TileGrid.Even(2, 2, 1, 2);
        var transport = InProcessTileTransport.Create(2)[0];
        var exchange = new TileExchange(grid, 0, transport, new TileExchangeOptions { Timeout = TimeSpan.FromMilliseconds(50) });
        var e = Assert.Throws<TimeoutException>(() => exchange.PadWithHalo(zeros([1, 1, 1, 2, 1]), 1, 1));
        Assert.Contains("tile 1", e.Message);
    }

    [Fact]
    public void Transports_reject_tiles_outside_the_grid()
    {
        var transport = InProcessTileTransport.Create(2)[0];
        Assert.Equal("to", Assert.Throws<ArgumentOutOfRangeException>(() => transport.Send(2, new TileTag(0, 0), [])).ParamName);
        Assert.Equal("tile", Assert.Throws<ArgumentOutOfRangeException>(() => new TileExchange(TileGrid.Even(2, 2, 1, 2), 2, transport)).ParamName);
    }

    /// <summary>Reports the size of every payload sent.</summary>
    private sealed class Spy(ITileTransport inner, Action<int> sent) : ITileTransport
    {
        public void Send(int to, TileTag tag, byte[] payload)
        {
            sent(payload.Length);
            inner.Send(to, tag, payload);
        }

        public byte[] Receive(int from, TileTag tag, TimeSpan timeout, CancellationToken cancellationToken) => inner.Receive(from, tag, timeout, cancellationToken);
    }
}
