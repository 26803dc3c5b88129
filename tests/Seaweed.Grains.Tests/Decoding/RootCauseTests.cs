using Seaweed.Grains.Decoding;

namespace Seaweed.Grains.Tests.Decoding;

public sealed class RootCauseTests
{
    private static Task Failed(Exception e) => Task.FromException(e);

    [Fact]
    public async Task A_tiles_own_failure_wins_over_deliveries_to_it_and_decodes_cut_short_whatever_the_tile_order()
    {
        Task[] pumps = [Task.FromCanceled(new CancellationToken(true)), Failed(new TileUnreachableException("tile 0 could not deliver to tile 3")),
            Task.CompletedTask, Failed(new InvalidOperationException("tile 3 broke"))];
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => VaeDecodeGrain.RootCause(pumps));
        Assert.Equal("tile 3 broke", e.Message);
    }

    [Fact]
    public async Task A_failed_delivery_wins_over_a_decode_cut_short()
    {
        Task[] pumps = [Task.FromCanceled(new CancellationToken(true)), Failed(new TileUnreachableException("tile 1 could not deliver to tile 0"))];
        await Assert.ThrowsAsync<TileUnreachableException>(() => VaeDecodeGrain.RootCause(pumps));
    }

    [Fact]
    public async Task Pumps_that_all_finish_throw_nothing() => await VaeDecodeGrain.RootCause([Task.CompletedTask, Task.CompletedTask]);
}
