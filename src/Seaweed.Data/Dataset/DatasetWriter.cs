using System.IO.Compression;
using System.Security.Cryptography;
using Seaweed.Data.Store;

namespace Seaweed.Data.Dataset;

/// <summary>What a dataset write did: the manifest, and whether the store already held exactly this dataset.</summary>
public sealed record DatasetWriteResult(DatasetManifest Manifest, string ManifestKey, bool Unchanged);

/// <summary>
/// Writes a dataset into an artefact store: samples (in Id order) are compressed into shards of about
/// <see cref="ShardBytes"/>, each stored under the hash of its bytes, then the manifest. Content addressing makes
/// a rerun write the same keys with the same bytes, and a different dataset never overwrites a shard another
/// manifest refers to. An existing manifest with other content is only replaced when <c>overwrite</c> is set; a
/// refused write removes the shards it added, and a replacing one the old shards the new manifest does not use.
/// </summary>
/// <param name="compute">Where compression runs (a CPU worker pool in a silo); inline when null.</param>
public sealed class DatasetWriter(
    IArtefactStore store,
    Func<Func<byte[]>, CancellationToken, Task<byte[]>>? compute = null,
    long shardBytes = DatasetWriter.DefaultShardBytes)
{
    public const long DefaultShardBytes = 32L << 20;

    private readonly Func<Func<byte[]>, CancellationToken, Task<byte[]>> compute = compute ?? ((work, _) => Task.FromResult(work()));

    public long ShardBytes { get; } = shardBytes > 0 ? shardBytes : throw new ArgumentOutOfRangeException(nameof(shardBytes), shardBytes, "must be positive");

    public async Task<DatasetWriteResult> WriteAsync(
        string name,
        int packCapacity,
        IReadOnlyList<(SampleInfo Info, Func<CancellationToken, Task<VideoFrames>> Frames)> samples,
        bool overwrite = false,
        CancellationToken cancellationToken = default)
    {
        ValidateName(name);
        ArgumentNullException.ThrowIfNull(samples);
        if (packCapacity <= 0) throw new ArgumentOutOfRangeException(nameof(packCapacity), packCapacity, "must be positive");
        var ordered = samples.OrderBy(s => s.Info.Id, StringComparer.Ordinal).ToArray();
        for (int i = 1; i < ordered.Length; i++)
            if (ordered[i].Info.Id == ordered[i - 1].Info.Id) throw new ArgumentException($"sample '{ordered[i].Info.Id}' appears more than once", nameof(samples));

        string manifestKey = DatasetManifest.ManifestKey(name);
        var shards = new List<DatasetShard>();
        var written = new List<DatasetSample>();
        var pending = new List<(SampleInfo Info, long Offset, int Length, string Sha)>();
        var created = new List<string>();
        using var shard = new MemoryStream();
        foreach (var (info, load) in ordered)
        {
            var frames = await load(cancellationToken);
            if ((frames.Width, frames.Height, frames.FrameCount) != (info.Width, info.Height, info.Frames))
                throw new ArgumentException($"sample '{info.Id}': frames are {frames.Width}x{frames.Height}x{frames.FrameCount}, its info says {info.Width}x{info.Height}x{info.Frames}", nameof(samples));
            var blob = await compute(() => Compress(frames.Data), cancellationToken);
            pending.Add((info, shard.Length, blob.Length, Convert.ToHexStringLower(SHA256.HashData(blob))));
            shard.Write(blob);
            if (shard.Length >= ShardBytes) await Flush();
        }
        await Flush();

        var manifest = new DatasetManifest(DatasetManifest.CurrentFormat, name, packCapacity, shards, written);
        var bytes = manifest.ToBytes();
        var replaced = Array.Empty<DatasetShard>();
        if (await store.ExistsAsync(manifestKey, cancellationToken))
        {
            var existing = await store.ReadAllBytesAsync(manifestKey, cancellationToken);
            if (existing.AsSpan().SequenceEqual(bytes)) return new DatasetWriteResult(manifest, manifestKey, Unchanged: true);
            if (!overwrite)
            {
                foreach (var key in created) await store.DeleteAsync(key, cancellationToken);
                throw new IOException($"dataset '{name}' already exists at {store.Describe(manifestKey)} with other content; choose another name or allow overwriting");
            }
            replaced = DatasetManifest.FromBytes(existing, store.Describe(manifestKey)).Shards.ToArray();
        }
        await store.WriteAsync(manifestKey, new MemoryStream(bytes), ArtefactWriteMode.Overwrite, cancellationToken);
        foreach (var old in replaced.Where(o => shards.All(s => s.Key != o.Key))) await store.DeleteAsync(old.Key, cancellationToken);
        return new DatasetWriteResult(manifest, manifestKey, Unchanged: false);

        async Task Flush()
        {
            if (pending.Count == 0) return;
            var content = shard.ToArray();
            string sha = Convert.ToHexStringLower(SHA256.HashData(content));
            string key = $"{DatasetManifest.Prefix(name)}shards/{sha[..32]}.bin";
            if (!await store.ExistsAsync(key, cancellationToken))
            {
                await store.WriteAsync(key, new MemoryStream(content), ArtefactWriteMode.Overwrite, cancellationToken);
                created.Add(key);
            }
            shards.Add(new DatasetShard(key, content.Length, sha, pending.Count));
            written.AddRange(pending.Select(p => new DatasetSample(p.Info, new SampleBlob(key, p.Offset, p.Length, p.Sha))));
            pending.Clear();
            shard.SetLength(0);
        }
    }

    /// <summary>A dataset name is one key segment: ASCII letters, digits and -_. .</summary>
    public static void ValidateName(string name, string paramName = "name")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name, paramName);
        if (name.Contains('/') || name is "." or "..") throw new ArgumentException($"dataset name '{name}' must be a single path segment", paramName);
        ArtefactKey.Validate(DatasetManifest.ManifestKey(name), paramName);
    }

    private static byte[] Compress(byte[] data)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true)) zlib.Write(data);
        return output.ToArray();
    }
}
