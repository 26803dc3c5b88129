using Azure.Storage.Blobs;
using Seaweed.Data.Store;
using Seaweed.Model;
using Seaweed.Testing;
using Seaweed.Training.Checkpoints;
using Seaweed.Training.Samples;
using static TorchSharp.torch;

namespace Seaweed.Training.Tests;

public sealed class LocalCheckpointTests : CheckpointContract, IDisposable
{
    private readonly TempDirectory root = new();

    protected override IArtefactStore Store => field ??= new LocalArtefactStore(root.Path);

    public void Dispose() => root.Dispose();
}

/// <summary>The same protocol in a blob container of a real Azurite, as in cluster mode.</summary>
public sealed class BlobCheckpointTests(AzuriteFixture azurite) : CheckpointContract, IClassFixture<AzuriteFixture>
{
    protected override IArtefactStore Store => field ??=
        new BlobArtefactStore(new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient($"c{Guid.NewGuid():N}"));
}

public abstract class CheckpointContract
{
    private const string Run = "run-1";
    private static readonly TrainingConfig Config = TrainingConfig.FromJson(
        """{"model": "tiny", "parallel": {"ranks": 2, "dp": 2}, "steps": 100, "optimizer": {"warmupSteps": 0}}""");

    protected abstract IArtefactStore Store { get; }

    private static Tensor Weights(long step, int rank) => arange(6, dtype: float32).reshape(2, 3) + step * 10 + rank;

    private async Task<CheckpointManifest> Commit(long step, bool manifest = true)
    {
        var shards = new List<ShardEntry>();
        for (int rank = 0; rank < 2; rank++)
        {
            using var w = Weights(step, rank);
            shards.Add(await TrainingCheckpoint.WriteShardAsync(Store, Run, step, rank, [new("w", w)]));
        }
        var m = TrainingCheckpoint.Manifest(Config, Run, step, new DataCursor(step * 3, step * 5), shards);
        if (manifest) await TrainingCheckpoint.CommitAsync(Store, m);
        return m;
    }

    private async Task Replace(string key, Func<byte[], byte[]> edit)
    {
        var bytes = await Store.ReadAllBytesAsync(key);
        await Store.WriteAsync(key, new MemoryStream(edit(bytes)), ArtefactWriteMode.Overwrite);
    }

    private async Task<(long Step, string Reason)> SkippedOnly(long expectedLatest)
    {
        var search = await TrainingCheckpoint.FindLatestAsync(Store, Run);
        Assert.Equal(expectedLatest, search.Latest!.Step);
        return Assert.Single(search.Skipped);
    }

    [Fact]
    public async Task A_committed_checkpoint_round_trips_its_manifest_and_shards()
    {
        await Commit(10);
        var search = await TrainingCheckpoint.FindLatestAsync(Store, Run);
        var m = search.Latest!;
        Assert.Empty(search.Skipped);
        Assert.Equal((10L, 0, "low-image"), (m.Step, m.Stage, m.StageName));
        Assert.Equal(new DataCursor(30, 50), m.Cursor);
        Assert.Equal(new CheckpointLayout(2, 2, 1, 1), m.Layout);
        Assert.Equal(Config.Hash, m.ConfigHash);
        var shard = await TrainingCheckpoint.ReadShardAsync(Store, m, 1);
        using var expected = Weights(10, 1);
        Assert.True(shard["w"].equal(expected).all().item<bool>());
        TrainingCheckpoint.CheckResumable(m, Config);
    }

    [Fact]
    public async Task Shards_without_a_manifest_are_not_a_checkpoint()
    {
        await Commit(10);
        await Commit(20, manifest: false);
        var (step, reason) = await SkippedOnly(10);
        Assert.Equal(20, step);
        Assert.Contains("never committed", reason);
    }

    [Fact]
    public async Task A_shard_of_a_committed_step_is_never_rewritten_but_an_uncommitted_one_is()
    {
        await Commit(20, manifest: false);
        var m = await Commit(20); // the rerun of a step that was never committed replaces its shards
        var shard = await Store.ReadAllBytesAsync(m.Shards[1].Key);
        using var other = Weights(99, 1);
        var e = await Assert.ThrowsAsync<ArtefactExistsException>(() => TrainingCheckpoint.WriteShardAsync(Store, Run, 20, 1, [new("w", other)]));
        Assert.Equal(TrainingCheckpoint.ManifestKey(Run, 20), e.Key);
        Assert.Equal(shard, await Store.ReadAllBytesAsync(m.Shards[1].Key));
        Assert.Equal(20, (await TrainingCheckpoint.FindLatestAsync(Store, Run)).Latest!.Step);
    }

    [Fact]
    public async Task A_truncated_shard_is_skipped_reported_and_never_loaded()
    {
        await Commit(10);
        var newer = await Commit(20);
        await Replace(TrainingCheckpoint.ShardKey(Run, 20, 1), b => b[..(b.Length / 2)]);
        var (step, reason) = await SkippedOnly(10);
        Assert.Equal(20, step);
        Assert.Contains("truncated", reason);
        await Assert.ThrowsAsync<InvalidDataException>(() => TrainingCheckpoint.ReadShardAsync(Store, newer, 1));
    }

    [Fact]
    public async Task A_shard_with_a_changed_byte_fails_its_hash()
    {
        await Commit(10);
        await Commit(20);
        await Replace(TrainingCheckpoint.ShardKey(Run, 20, 0), b => { b[^1] ^= 0x40; return b; });
        Assert.Contains("SHA-256", (await SkippedOnly(10)).Reason);
    }

    [Fact]
    public async Task A_missing_shard_or_a_damaged_manifest_is_skipped()
    {
        await Commit(10);
        await Commit(20);
        await Commit(30);
        await Store.DeleteAsync(TrainingCheckpoint.ShardKey(Run, 30, 1));
        await Replace(TrainingCheckpoint.ManifestKey(Run, 20), b => b[..20]);
        var search = await TrainingCheckpoint.FindLatestAsync(Store, Run);
        Assert.Equal(10, search.Latest!.Step);
        Assert.Equal([30L, 20], search.Skipped.Select(s => s.Step));
        Assert.Contains("missing", search.Skipped[0].Reason);
        Assert.Contains("not a checkpoint manifest", search.Skipped[1].Reason);
    }

    [Fact]
    public async Task A_manifest_stored_under_another_step_is_skipped()
    {
        var ten = await Commit(10);
        await Commit(20);
        await Replace(TrainingCheckpoint.ManifestKey(Run, 20), _ => ten.ToBytes());
        Assert.Contains("says step 10", (await SkippedOnly(10)).Reason);
    }

    [Fact]
    public async Task Commit_refuses_an_incomplete_manifest_and_a_second_commit_of_a_step()
    {
        var m = await Commit(10, manifest: false);
        var e = await Assert.ThrowsAsync<ArgumentException>(() => TrainingCheckpoint.CommitAsync(Store, m with { Shards = m.Shards.Take(1).ToArray() }));
        Assert.Contains("1 shards listed for 2 ranks", e.Message);
        await TrainingCheckpoint.CommitAsync(Store, m);
        await Assert.ThrowsAsync<ArtefactExistsException>(() => TrainingCheckpoint.CommitAsync(Store, m));
    }

    [Fact]
    public async Task Retention_keeps_the_newest_verified_ones_and_leaves_a_newer_uncommitted_step()
    {
        await Commit(5, manifest: false);
        foreach (long step in new[] { 10L, 20, 30, 40 }) await Commit(step);
        await Commit(50, manifest: false);
        Assert.Equal([5L, 10, 20], await TrainingCheckpoint.PruneAsync(Store, Run, keep: 2));
        var keys = await Store.ListAsync(TrainingCheckpoint.RunPrefix(Run));
        Assert.Equal([30L, 40, 50], keys.Select(k => long.Parse(k.Split('/')[2]["step-".Length..])).Distinct());
        Assert.Equal(40, (await TrainingCheckpoint.FindLatestAsync(Store, Run)).Latest!.Step);
    }

    [Fact]
    public async Task Retention_does_not_count_a_checkpoint_missing_a_shard_or_with_a_bad_manifest_as_kept()
    {
        foreach (long step in new[] { 10L, 20, 30, 40 }) await Commit(step);
        await Store.DeleteAsync(TrainingCheckpoint.ShardKey(Run, 40, 1));
        await Replace(TrainingCheckpoint.ManifestKey(Run, 30), b => b[..8]);
        Assert.Empty(await TrainingCheckpoint.PruneAsync(Store, Run, keep: 2));
        Assert.Equal([10L], await TrainingCheckpoint.PruneAsync(Store, Run, keep: 1));
        Assert.Equal(20, (await TrainingCheckpoint.FindLatestAsync(Store, Run)).Latest!.Step);
    }

    [Fact]
    public async Task Retention_counts_a_listed_shard_unread_and_a_damaged_one_is_caught_where_the_checkpoint_is_loaded()
    {
        foreach (long step in new[] { 10L, 20, 30 }) await Commit(step);
        await Replace(TrainingCheckpoint.ShardKey(Run, 30, 0), b => b[..8]); // listed, unreadable: only a read finds out
        Assert.Equal([10L], await TrainingCheckpoint.PruneAsync(Store, Run, keep: 2));
        var search = await TrainingCheckpoint.FindLatestAsync(Store, Run);
        Assert.Equal(20, search.Latest!.Step);
        Assert.Equal(30, Assert.Single(search.Skipped).Step);
    }

    [Fact]
    public async Task A_checkpoint_of_another_layout_or_config_is_not_resumable()
    {
        var m = await Commit(10);
        var other = TrainingConfig.FromJson("""{"model": "tiny", "parallel": {"ranks": 2, "fsdp": 2}, "steps": 100, "optimizer": {"warmupSteps": 0}}""");
        Assert.Equal("parallel", Assert.Throws<ConfigException>(() => TrainingCheckpoint.CheckResumable(m, other)).Field);
        var reseeded = (Config with { Seed = 9 }).Validate();
        Assert.Equal("config", Assert.Throws<ConfigException>(() => TrainingCheckpoint.CheckResumable(m, reseeded)).Field);
    }

    [Fact]
    public async Task No_checkpoint_at_all_is_an_empty_search()
    {
        var search = await TrainingCheckpoint.FindLatestAsync(Store, Run);
        Assert.Null(search.Latest);
        Assert.Empty(search.Skipped);
        Assert.Throws<ArgumentException>(() => TrainingCheckpoint.RunPrefix("a/b"));
    }
}
