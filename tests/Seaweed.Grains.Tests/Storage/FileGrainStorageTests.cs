using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;
using Seaweed.Grains.Storage;

namespace Seaweed.Grains.Tests.Storage;

public sealed class FileGrainStorageTests : IDisposable
{
    private const string StateName = "progress";
    private static readonly IActivatorProvider Activators =
        new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<IActivatorProvider>();

    private readonly string _root = Directory.CreateTempSubdirectory("seaweed-grainstate-").FullName;
    private readonly FileGrainStorage _storage;

    public FileGrainStorageTests() => _storage = NewStorage();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_missing_record_reads_as_empty()
    {
        var state = new GrainState<ProgressState> { State = new ProgressState { Step = 9 } };

        await _storage.ReadStateAsync(StateName, Grain("job-1"), state);

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        Assert.Equal(0, state.State.Step);
    }

    [Fact]
    public async Task Written_state_reads_back_through_a_new_storage_instance()
    {
        var written = new GrainState<ProgressState> { State = new ProgressState { Step = 42, Checkpoint = "ckpt/step-42" } };
        await _storage.WriteStateAsync(StateName, Grain("job-1"), written);

        var read = new GrainState<ProgressState>();
        await NewStorage().ReadStateAsync(StateName, Grain("job-1"), read);

        Assert.True(written.RecordExists);
        Assert.True(read.RecordExists);
        Assert.NotNull(read.ETag);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal(42, read.State!.Step);
        Assert.Equal("ckpt/step-42", read.State.Checkpoint);
    }

    [Fact]
    public async Task Each_write_changes_the_etag()
    {
        var state = new GrainState<ProgressState> { State = new ProgressState { Step = 1 } };
        await _storage.WriteStateAsync(StateName, Grain("job-1"), state);
        var first = state.ETag;

        state.State.Step = 2;
        await _storage.WriteStateAsync(StateName, Grain("job-1"), state);

        Assert.NotEqual(first, state.ETag);
    }

    [Fact]
    public async Task A_stale_etag_is_an_inconsistent_state_and_leaves_the_record()
    {
        var owner = new GrainState<ProgressState> { State = new ProgressState { Step = 1 } };
        await _storage.WriteStateAsync(StateName, Grain("job-1"), owner);
        var stale = new GrainState<ProgressState> { State = new ProgressState { Step = 99 }, ETag = owner.ETag };
        owner.State.Step = 2;
        await _storage.WriteStateAsync(StateName, Grain("job-1"), owner);

        var e = await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync(StateName, Grain("job-1"), stale));
        var blind = new GrainState<ProgressState> { State = new ProgressState { Step = 100 } };
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync(StateName, Grain("job-1"), blind));

        Assert.Equal(owner.ETag, e.StoredEtag);
        Assert.Equal(2, (await Read("job-1")).State!.Step);
    }

    [Fact]
    public async Task Clear_deletes_the_record_and_resets_the_state()
    {
        var state = new GrainState<ProgressState> { State = new ProgressState { Step = 5 } };
        await _storage.WriteStateAsync(StateName, Grain("job-1"), state);

        await _storage.ClearStateAsync(StateName, Grain("job-1"), state);

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        Assert.Equal(0, state.State.Step);
        Assert.False(File.Exists(_storage.PathOf(StateName, Grain("job-1"))));
        Assert.False((await Read("job-1")).RecordExists);
        await _storage.ClearStateAsync(StateName, Grain("job-1"), state);
    }

    [Fact]
    public async Task Clear_with_a_stale_etag_is_an_inconsistent_state()
    {
        var owner = new GrainState<ProgressState> { State = new ProgressState { Step = 1 } };
        await _storage.WriteStateAsync(StateName, Grain("job-1"), owner);
        var stale = new GrainState<ProgressState> { ETag = owner.ETag };
        await _storage.WriteStateAsync(StateName, Grain("job-1"), owner);

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.ClearStateAsync(StateName, Grain("job-1"), stale));
        Assert.True((await Read("job-1")).RecordExists);
    }

    [Fact]
    public async Task Concurrent_writers_from_one_etag_have_exactly_one_winner()
    {
        var seed = new GrainState<ProgressState> { State = new ProgressState() };
        await _storage.WriteStateAsync(StateName, Grain("job-1"), seed);
        var second = NewStorage();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writers = Enumerable.Range(1, 8).Select(step => Task.Run(async () =>
        {
            var mine = new GrainState<ProgressState> { State = new ProgressState { Step = step }, ETag = seed.ETag };
            await start.Task;
            try
            {
                await (step % 2 == 0 ? _storage : second).WriteStateAsync(StateName, Grain("job-1"), mine);
                return step;
            }
            catch (InconsistentStateException)
            {
                return 0;
            }
        })).ToArray();

        start.SetResult();
        var results = await Task.WhenAll(writers);

        var winner = Assert.Single(results, r => r != 0);
        Assert.Equal(winner, (await Read("job-1")).State!.Step);
        Assert.Empty(Directory.EnumerateFiles(_root, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Grain_ids_map_to_distinct_files_inside_the_root()
    {
        string[] keys = ["../../escape", "Job", "job", "a/b c", "ü", ".hidden", new string('x', 600), new string('x', 599) + "y"];
        foreach (var key in keys)
            await _storage.WriteStateAsync(StateName, Grain(key), new GrainState<ProgressState> { State = new ProgressState { Checkpoint = key } });

        var paths = keys.Select(k => _storage.PathOf(StateName, Grain(k))).ToArray();
        Assert.Equal(keys.Length, paths.Distinct().Count());
        Assert.All(paths, p => Assert.Equal(Path.Combine(_root, StateName), Path.GetDirectoryName(p)));
        Assert.All(paths, p => Assert.True(Path.GetFileName(p).Length <= 255, p));
        foreach (var key in keys)
            Assert.Equal(key, (await Read(key)).State!.Checkpoint);
    }

    private FileGrainStorage NewStorage() =>
        new(_root, new SystemTextJsonGrainStorageSerializer(Options.Create(new SystemTextJsonGrainStorageSerializerOptions())), Activators);

    private async Task<GrainState<ProgressState>> Read(string key)
    {
        var state = new GrainState<ProgressState>();
        await _storage.ReadStateAsync(StateName, Grain(key), state);
        return state;
    }

    private static GrainId Grain(string key) => GrainId.Create("trainer", key);

    public sealed class ProgressState
    {
        public int Step { get; set; }
        public string? Checkpoint { get; set; }
    }
}
