using System.Globalization;
using System.Security.Cryptography;
using Seaweed.Data.Store;
using Seaweed.Model;
using Seaweed.Training.Samples;
using static TorchSharp.torch;

namespace Seaweed.Training.Checkpoints;

/// <summary>A checkpoint found in the store, and those newer than it that could not be used, with the reason.</summary>
public sealed record CheckpointSearch(CheckpointManifest? Latest, IReadOnlyList<(long Step, string Reason)> Skipped);

/// <summary>
/// Checkpoints of a run in an <see cref="IArtefactStore"/>: under <c>checkpoints/{run}/step-{N}/</c> one safetensors
/// shard per rank, then <c>manifest.json</c> listing each shard's length and SHA-256. The store writes each key
/// atomically and the manifest goes last, so a checkpoint without its manifest does not exist; one whose manifest
/// or any shard fails to verify is skipped and reported, never loaded.
/// </summary>
public static class TrainingCheckpoint
{
    public const string ManifestFile = "manifest.json";

    public static string RunPrefix(string runId)
    {
        ValidateRunId(runId);
        return $"checkpoints/{runId}/";
    }

    public static string StepPrefix(string runId, long step) => $"{RunPrefix(runId)}step-{step:D12}/";

    public static string ManifestKey(string runId, long step) => StepPrefix(runId, step) + ManifestFile;

    public static string ShardKey(string runId, long step, int rank) => $"{StepPrefix(runId, step)}rank-{rank:D5}.safetensors";

    public static void ValidateRunId(string runId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        if (runId.Contains('/') || runId is "." or "..") throw new ArgumentException($"run id '{runId}' must be a single path segment", nameof(runId));
        ArtefactKey.Validate($"checkpoints/{runId}", nameof(runId));
    }

    /// <summary>
    /// Writes one rank's shard (before the manifest); returns the entry the manifest lists for it. A step whose
    /// manifest exists is committed: its shards are never replaced (<see cref="ArtefactExistsException"/>).
    /// </summary>
    public static async Task<ShardEntry> WriteShardAsync(IArtefactStore store, string runId, long step, int rank,
        IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        var buffer = new MemoryStream();
        Safetensors.Write(buffer, tensors, metadata);
        var bytes = buffer.ToArray();
        string key = ShardKey(runId, step, rank);
        string manifest = ManifestKey(runId, step);
        if (await store.ExistsAsync(manifest, cancellationToken)) throw new ArtefactExistsException(manifest, store.Location);
        // A rerun of an uncommitted step may find its own earlier shard: the manifest, not the shard, is the commit.
        await store.WriteAsync(key, new MemoryStream(bytes, writable: false), ArtefactWriteMode.Overwrite, cancellationToken);
        return new ShardEntry(rank, key, bytes.Length, Sha256(bytes));
    }

    /// <summary>Writes <paramref name="snapshot"/> as its rank's shard of the checkpoint at its step.</summary>
    public static Task<ShardEntry> WriteShardAsync(IArtefactStore store, string runId, RankSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return WriteShardAsync(store, runId, snapshot.Step, snapshot.Rank, snapshot.Tensors, cancellationToken: cancellationToken);
    }

    /// <summary>One rank's snapshot from a committed checkpoint, its shard checked against the manifest's length and hash.</summary>
    public static async Task<RankSnapshot> ReadSnapshotAsync(IArtefactStore store, CheckpointManifest manifest, int rank,
        CancellationToken cancellationToken = default)
    {
        var tensors = await ReadShardAsync(store, manifest, rank, cancellationToken);
        return new RankSnapshot(rank, manifest.Step, manifest.Cursor, tensors);
    }

    /// <summary>The manifest of a run's checkpoint after <paramref name="step"/> steps, which ended at <paramref name="cursor"/>.</summary>
    public static CheckpointManifest Manifest(TrainingConfig config, string runId, long step, DataCursor cursor, IReadOnlyList<ShardEntry> shards)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(step);
        // The stage of the last step taken: a checkpoint at a boundary belongs to the stage it completes.
        var stage = new Curriculum(config).At(step - 1);
        return new CheckpointManifest(CheckpointManifest.CurrentFormat, runId, step, stage.Index, stage.Name, cursor, config.Seed,
            CheckpointLayout.Of(config.Parallel), config.Hash, shards.OrderBy(s => s.Rank).ToArray());
    }

    /// <summary>Throws unless <paramref name="manifest"/> was written by a run of <paramref name="config"/> on the same rank layout.</summary>
    public static void CheckResumable(CheckpointManifest manifest, TrainingConfig config)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(config);
        if (manifest.Layout != CheckpointLayout.Of(config.Parallel))
            throw new ConfigException("parallel", $"the checkpoint of step {manifest.Step} was written by {manifest.Layout.Ranks} ranks as dp·fsdp·cp = {manifest.Layout.Dp}·{manifest.Layout.Fsdp}·{manifest.Layout.Cp}; resume with that layout");
        if (manifest.ConfigHash != config.Hash)
            throw new ConfigException("config", $"the checkpoint of step {manifest.Step} was written with another training config (hash {manifest.ConfigHash[..12]}…, this one {config.Hash[..12]}…)");
    }

    /// <summary>
    /// Commits a checkpoint whose shards are all written: checks the manifest lists each rank once under this
    /// step's keys, then writes it. A step that is already committed is refused (<see cref="ArtefactExistsException"/>).
    /// </summary>
    public static async Task CommitAsync(IArtefactStore store, CheckpointManifest manifest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(manifest);
        if (Problem(manifest, manifest.RunId, manifest.Step) is { } problem) throw new ArgumentException(problem, nameof(manifest));
        string key = ManifestKey(manifest.RunId, manifest.Step);
        await store.WriteAsync(key, new MemoryStream(manifest.ToBytes(), writable: false), ArtefactWriteMode.CreateNew, cancellationToken);
    }

    /// <summary>The newest checkpoint of the run whose manifest and every shard verify, or none.</summary>
    public static async Task<CheckpointSearch> FindLatestAsync(IArtefactStore store, string runId, CancellationToken cancellationToken = default)
    {
        var skipped = new List<(long, string)>();
        foreach (long step in (await StepsAsync(store, runId, cancellationToken)).OrderDescending())
        {
            var (manifest, reason) = await VerifyAsync(store, runId, step, cancellationToken);
            if (manifest is not null) return new CheckpointSearch(manifest, skipped);
            skipped.Add((step, reason!));
        }
        return new CheckpointSearch(null, skipped);
    }

    /// <summary>One rank's tensors from a committed checkpoint, checked against the manifest's length and hash.</summary>
    public static async Task<Dictionary<string, Tensor>> ReadShardAsync(IArtefactStore store, CheckpointManifest manifest, int rank,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(manifest);
        var entry = manifest.Shards.SingleOrDefault(s => s.Rank == rank)
            ?? throw new ArgumentOutOfRangeException(nameof(rank), rank, $"the checkpoint of step {manifest.Step} has ranks 0..{manifest.Shards.Count - 1}");
        var bytes = await store.ReadAllBytesAsync(entry.Key, cancellationToken);
        if (ShardProblem(entry, bytes) is { } problem) throw new InvalidDataException($"{store.Describe(entry.Key)}: {problem}");
        return Safetensors.Load(new MemoryStream(bytes, writable: false), store.Describe(entry.Key));
    }

    /// <summary>
    /// Keeps the <paramref name="keep"/> newest committed checkpoints and deletes everything older: committed
    /// checkpoints and the shards of steps that were never committed. Committed means a manifest that reads, fits its
    /// step and lists every rank's shard, each present in the run's listing; the shards are not read, so pruning after
    /// each commit costs one listing and a manifest read per kept checkpoint rather than re-hashing them all. Their
    /// lengths and hashes are checked where a checkpoint is loaded (<see cref="FindLatestAsync"/>). Steps newer than
    /// the newest committed one are left alone (one may be being written). Returns the steps deleted.
    /// </summary>
    public static async Task<IReadOnlyList<long>> PruneAsync(IArtefactStore store, string runId, int keep, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(keep);
        var keys = (await store.ListAsync(RunPrefix(runId), cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var steps = StepsOf(keys, runId).OrderDescending().ToList();
        int committed = 0;
        long? oldestKept = null;
        foreach (long step in steps)
        {
            if ((await ReadManifestAsync(store, runId, step, cancellationToken)).Manifest is not { } manifest
                || !manifest.Shards.All(shard => keys.Contains(shard.Key)))
                continue;
            oldestKept = step;
            if (++committed == keep) break;
        }
        if (oldestKept is not { } floor) return [];
        var deleted = steps.Where(s => s < floor).Order().ToList();
        foreach (long step in deleted) await DeleteAsync(store, runId, step, cancellationToken);
        return deleted;
    }

    /// <summary>The manifest goes first, so a checkpoint stops existing before any shard is removed.</summary>
    private static async Task DeleteAsync(IArtefactStore store, string runId, long step, CancellationToken cancellationToken)
    {
        await store.DeleteAsync(ManifestKey(runId, step), cancellationToken);
        foreach (var key in await store.ListAsync(StepPrefix(runId, step), cancellationToken))
            await store.DeleteAsync(key, cancellationToken);
    }

    /// <summary>Steps that have any key under the run, committed or not.</summary>
    private static async Task<IReadOnlyList<long>> StepsAsync(IArtefactStore store, string runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        return StepsOf(await store.ListAsync(RunPrefix(runId), cancellationToken), runId);
    }

    /// <summary>The steps of the run's <paramref name="keys"/> (a listing under <see cref="RunPrefix"/>).</summary>
    private static IReadOnlyList<long> StepsOf(IEnumerable<string> keys, string runId)
    {
        string prefix = RunPrefix(runId);
        var steps = new SortedSet<long>();
        foreach (var key in keys)
        {
            var segment = key[prefix.Length..].Split('/')[0];
            if (segment.StartsWith("step-", StringComparison.Ordinal)
                && long.TryParse(segment.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out long step))
                steps.Add(step);
        }
        return steps.ToList();
    }

    private static async Task<(CheckpointManifest? Manifest, string? Reason)> VerifyAsync(IArtefactStore store, string runId, long step,
        CancellationToken cancellationToken)
    {
        var (manifest, reason) = await ReadManifestAsync(store, runId, step, cancellationToken);
        if (manifest is null) return (null, reason);
        foreach (var shard in manifest.Shards)
        {
            byte[] bytes;
            try
            {
                bytes = await store.ReadAllBytesAsync(shard.Key, cancellationToken);
            }
            catch (ArtefactNotFoundException)
            {
                return (null, $"{store.Describe(shard.Key)}: the shard of rank {shard.Rank} is missing");
            }
            if (ShardProblem(shard, bytes) is { } bad) return (null, $"{store.Describe(shard.Key)}: {bad}");
        }
        return (manifest, null);
    }

    /// <summary>The step's manifest when it reads and fits (run, step), else why not.</summary>
    private static async Task<(CheckpointManifest? Manifest, string? Reason)> ReadManifestAsync(IArtefactStore store, string runId, long step,
        CancellationToken cancellationToken)
    {
        string key = ManifestKey(runId, step);
        CheckpointManifest manifest;
        try
        {
            manifest = CheckpointManifest.FromBytes(await store.ReadAllBytesAsync(key, cancellationToken), store.Describe(key));
        }
        catch (ArtefactNotFoundException)
        {
            return (null, "no manifest: the checkpoint was never committed");
        }
        catch (InvalidDataException e)
        {
            return (null, e.Message);
        }
        return Problem(manifest, runId, step) is { } problem ? (null, $"{store.Describe(key)}: {problem}") : (manifest, null);
    }

    /// <summary>What makes a manifest unusable for (run, step), or null.</summary>
    private static string? Problem(CheckpointManifest m, string runId, long step)
    {
        if (m.RunId != runId) return $"the manifest is of run '{m.RunId}', not '{runId}'";
        if (m.Step != step) return $"the manifest says step {m.Step}, but is stored as step {step}";
        var layout = m.Layout;
        if (layout.Ranks <= 0 || (long)layout.Dp * layout.Fsdp * layout.Cp != layout.Ranks)
            return $"layout dp·fsdp·cp = {layout.Dp}·{layout.Fsdp}·{layout.Cp} does not make {layout.Ranks} ranks";
        if (m.Shards.Count != layout.Ranks) return $"{m.Shards.Count} shards listed for {layout.Ranks} ranks";
        for (int r = 0; r < layout.Ranks; r++)
        {
            var shard = m.Shards.Where(s => s.Rank == r).ToList();
            if (shard.Count != 1) return $"rank {r} has {shard.Count} shards listed";
            if (shard[0].Key != ShardKey(runId, step, r)) return $"rank {r}'s shard key '{shard[0].Key}' is not {ShardKey(runId, step, r)}";
        }
        return null;
    }

    private static string? ShardProblem(ShardEntry entry, byte[] bytes)
    {
        if (bytes.Length != entry.Bytes) return $"the shard of rank {entry.Rank} has {bytes.Length} bytes, the manifest {entry.Bytes}: it is truncated or replaced";
        if (Sha256(bytes) != entry.Sha256) return $"the shard of rank {entry.Rank} does not match its SHA-256: it is damaged";
        return null;
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
