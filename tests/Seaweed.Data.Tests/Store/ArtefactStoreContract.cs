using System.Text;
using Seaweed.Data.Store;

namespace Seaweed.Data.Tests.Store;

/// <summary>The behaviour every <see cref="IArtefactStore"/> must share; each store runs it through a derived class.</summary>
public abstract class ArtefactStoreContract
{
    protected abstract IArtefactStore Store { get; }

    [Fact]
    public async Task Write_then_read_round_trips()
    {
        var bytes = RandomBytes(300_000, seed: 1);
        await Store.WriteAsync("datasets/world/clip.bin", new MemoryStream(bytes), ArtefactWriteMode.CreateNew);

        Assert.True(await Store.ExistsAsync("datasets/world/clip.bin"));
        Assert.Equal(bytes, await Store.ReadAllBytesAsync("datasets/world/clip.bin"));
        await using var stream = await Store.OpenReadAsync("datasets/world/clip.bin");
        var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
    }

    [Fact]
    public async Task Create_new_refuses_a_taken_key_and_keeps_the_old_bytes()
    {
        await Store.WriteAsync("ckpt/step-1.safetensors", Text("first"), ArtefactWriteMode.CreateNew);

        var e = await Assert.ThrowsAsync<ArtefactExistsException>(() =>
            Store.WriteAsync("ckpt/step-1.safetensors", Text("second"), ArtefactWriteMode.CreateNew));

        Assert.Equal("ckpt/step-1.safetensors", e.Key);
        Assert.Equal("first", Encoding.UTF8.GetString(await Store.ReadAllBytesAsync("ckpt/step-1.safetensors")));
    }

    [Fact]
    public async Task Overwrite_replaces()
    {
        await Store.WriteAsync("runs/latest.json", Text("{\"step\":1}"), ArtefactWriteMode.Overwrite);
        await Store.WriteAsync("runs/latest.json", Text("{\"step\":2}"), ArtefactWriteMode.Overwrite);

        Assert.Equal("{\"step\":2}", Encoding.UTF8.GetString(await Store.ReadAllBytesAsync("runs/latest.json")));
    }

    [Fact]
    public async Task List_returns_keys_under_a_prefix_in_ordinal_order()
    {
        foreach (var key in new[] { "b/2", "b/10", "a/1", "b/1/x", "bz", "B/3" })
            await Store.WriteAsync(key, Text(key), ArtefactWriteMode.CreateNew);

        Assert.Equal(["b/1/x", "b/10", "b/2"], await Store.ListAsync("b/"));
        Assert.Equal(["b/1/x", "b/10", "b/2", "bz"], await Store.ListAsync("b"));
        Assert.Equal(["b/10"], await Store.ListAsync("b/10"));
        Assert.Equal(["B/3", "a/1", "b/1/x", "b/10", "b/2", "bz"], await Store.ListAsync(""));
        Assert.Empty(await Store.ListAsync("nothing/"));
    }

    [Fact]
    public async Task Delete_is_idempotent()
    {
        await Store.DeleteAsync("never/written");
        await Store.WriteAsync("tmp/x", Text("x"), ArtefactWriteMode.CreateNew);

        await Store.DeleteAsync("tmp/x");
        await Store.DeleteAsync("tmp/x");

        Assert.False(await Store.ExistsAsync("tmp/x"));
        Assert.Empty(await Store.ListAsync("tmp/"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("/abs")]
    [InlineData("a//b")]
    [InlineData("a/")]
    [InlineData("a/./b")]
    [InlineData("../escape")]
    [InlineData("a/..")]
    [InlineData("a\\b")]
    [InlineData("with space")]
    [InlineData("ünïcode")]
    [InlineData("tilde~1")]
    public async Task Bad_keys_are_rejected_naming_key(string key)
    {
        await AssertBadKey(() => Store.ExistsAsync(key));
        await AssertBadKey(() => Store.OpenReadAsync(key));
        await AssertBadKey(() => Store.ReadAllBytesAsync(key));
        await AssertBadKey(() => Store.WriteAsync(key, Text("x"), ArtefactWriteMode.Overwrite));
        await AssertBadKey(() => Store.DeleteAsync(key));
    }

    [Fact]
    public async Task Missing_key_is_artefact_not_found()
    {
        var read = await Assert.ThrowsAsync<ArtefactNotFoundException>(() => Store.ReadAllBytesAsync("no/such.bin"));
        var open = await Assert.ThrowsAsync<ArtefactNotFoundException>(() => Store.OpenReadAsync("no/such.bin"));

        Assert.Equal("no/such.bin", read.Key);
        Assert.Equal("no/such.bin", open.FileName);
        Assert.Contains("no/such.bin", read.Message);
        Assert.False(await Store.ExistsAsync("no/such.bin"));
    }

    [Fact]
    public async Task A_write_whose_stream_fails_leaves_nothing_under_the_key()
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(() =>
            Store.WriteAsync("videos/broken.mp4", new FailingStream(100_000), ArtefactWriteMode.CreateNew));

        Assert.True(IsOrWraps<FailingStream.Failure>(e), e.ToString());
        Assert.False(await Store.ExistsAsync("videos/broken.mp4"));
        Assert.Empty(await Store.ListAsync(""));
        AssertNoLeftovers();
    }

    [Fact]
    public async Task A_failed_overwrite_keeps_the_previous_artefact()
    {
        await Store.WriteAsync("videos/kept.mp4", Text("old"), ArtefactWriteMode.CreateNew);

        await Assert.ThrowsAnyAsync<Exception>(() =>
            Store.WriteAsync("videos/kept.mp4", new FailingStream(100_000), ArtefactWriteMode.Overwrite));

        Assert.Equal("old", Encoding.UTF8.GetString(await Store.ReadAllBytesAsync("videos/kept.mp4")));
        Assert.Equal(["videos/kept.mp4"], await Store.ListAsync(""));
        AssertNoLeftovers();
    }

    [Fact]
    public async Task Concurrent_create_new_of_one_key_has_exactly_one_winner()
    {
        const int writers = 8;
        var payloads = Enumerable.Range(0, writers).Select(i => RandomBytes(64_000, seed: 100 + i)).ToArray();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var attempts = payloads.Select(payload => Task.Run(async () =>
        {
            await start.Task;
            try
            {
                await Store.WriteAsync("race/winner.bin", new MemoryStream(payload), ArtefactWriteMode.CreateNew);
                return payload;
            }
            catch (ArtefactExistsException)
            {
                return null;
            }
        })).ToArray();

        start.SetResult();
        var results = await Task.WhenAll(attempts);

        var winner = Assert.Single(results, r => r is not null);
        Assert.Equal(winner, await Store.ReadAllBytesAsync("race/winner.bin"));
        Assert.Equal(["race/winner.bin"], await Store.ListAsync(""));
        AssertNoLeftovers();
    }

    /// <summary>Store-specific check that a failed or losing write left no debris behind.</summary>
    protected virtual void AssertNoLeftovers()
    {
    }

    private static async Task AssertBadKey(Func<Task> action)
    {
        var e = await Assert.ThrowsAnyAsync<ArgumentException>(action);
        Assert.Equal("key", e.ParamName);
    }

    private static bool IsOrWraps<T>(Exception e) where T : Exception => e switch
    {
        T => true,
        AggregateException a => a.InnerExceptions.Any(IsOrWraps<T>),
        _ => e.InnerException is { } inner && IsOrWraps<T>(inner),
    };

    private static MemoryStream Text(string text) => new(Encoding.UTF8.GetBytes(text));

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
