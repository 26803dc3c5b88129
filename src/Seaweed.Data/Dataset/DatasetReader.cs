using System.IO.Compression;
using System.Security.Cryptography;
using Seaweed.Data.Store;

namespace Seaweed.Data.Dataset;

/// <summary>
/// Reads a dataset written by <see cref="DatasetWriter"/>; every sample is checked against its hash. The last shard
/// read is kept in memory (samples are read mostly in order, and blob streams cannot seek), so one reader serves
/// one consumer at a time.
/// </summary>
public sealed class DatasetReader
{
    private readonly IArtefactStore store;
    private (string Key, byte[] Bytes)? shard;

    private DatasetReader(IArtefactStore store, DatasetManifest manifest)
    {
        this.store = store;
        Manifest = manifest;
    }

    public DatasetManifest Manifest { get; }

    /// <exception cref="ArtefactNotFoundException">No dataset of that name in the store.</exception>
    public static async Task<DatasetReader> OpenAsync(IArtefactStore store, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        DatasetWriter.ValidateName(name);
        string key = DatasetManifest.ManifestKey(name);
        var manifest = DatasetManifest.FromBytes(await store.ReadAllBytesAsync(key, cancellationToken), store.Describe(key));
        return new DatasetReader(store, manifest);
    }

    public async Task<VideoFrames> ReadAsync(DatasetSample sample, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var (info, blob) = (sample.Info, sample.Blob);
        if (shard?.Key != blob.Shard) shard = (blob.Shard, await store.ReadAllBytesAsync(blob.Shard, cancellationToken));
        var bytes = shard.Value.Bytes;
        if (blob.Offset < 0 || blob.Length <= 0 || blob.Offset + blob.Length > bytes.Length)
            throw new InvalidDataException($"{store.Describe(blob.Shard)}: sample '{info.Id}' lies outside the shard's {bytes.Length} bytes; the shard is truncated");
        var compressed = bytes.AsMemory((int)blob.Offset, blob.Length);
        if (Convert.ToHexStringLower(SHA256.HashData(compressed.Span)) != blob.Sha256)
            throw new InvalidDataException($"{store.Describe(blob.Shard)}: sample '{info.Id}' does not match its hash; the shard is damaged");
        var frames = new VideoFrames(info.Width, info.Height, info.Frames, info.Fps);
        using var zlib = new ZLibStream(new MemoryStream(bytes, (int)blob.Offset, blob.Length), CompressionMode.Decompress);
        try
        {
            zlib.ReadExactly(frames.Data);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{store.Describe(blob.Shard)}: sample '{info.Id}' holds fewer than {info.Width}x{info.Height}x{info.Frames} frames", e);
        }
        if (zlib.ReadByte() != -1) throw new InvalidDataException($"{store.Describe(blob.Shard)}: sample '{info.Id}' holds more than {info.Width}x{info.Height}x{info.Frames} frames");
        return frames;
    }
}
