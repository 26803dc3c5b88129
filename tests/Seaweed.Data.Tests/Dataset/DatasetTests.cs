using Azure.Storage.Blobs;
using Seaweed.Data.Dataset;
using Seaweed.Data.Store;
using Seaweed.Data.World;
using Seaweed.Testing;

namespace Seaweed.Data.Tests.Dataset;

public sealed class LocalDatasetTests : DatasetContract, IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("seaweed-dataset-").FullName;

    protected override IArtefactStore Store => field ??= new LocalArtefactStore(root);

    public void Dispose() => Directory.Delete(root, recursive: true);
}

/// <summary>The same dataset contract in a blob container of a real Azurite, as in cluster mode.</summary>
public sealed class BlobDatasetTests(AzuriteFixture azurite) : DatasetContract, IClassFixture<AzuriteFixture>
{
    protected override IArtefactStore Store => field ??=
        new BlobArtefactStore(new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient($"d{Guid.NewGuid():N}"));
}

public abstract class DatasetContract
{
    protected abstract IArtefactStore Store { get; }

    private static (SampleInfo Info, Func<CancellationToken, Task<VideoFrames>> Frames) Sample(int i)
    {
        var clip = new WorldGenerator(new WorldOptions { Seed = 4, Sizes = [(64, 48)], FrameCounts = [9] }).Clip(i);
        var frames = clip.Render();
        var info = new SampleInfo($"clip-{i:D2}", frames.Width, frames.Height, frames.FrameCount, frames.Fps, "4:3", 36, i / 2,
            clip.Caption.Detailed, clip.Caption.Short, "raw00000", 3 * i);
        return (info, _ => Task.FromResult(frames));
    }

    [Fact]
    public async Task Round_trips_samples_across_several_shards_in_id_order()
    {
        var samples = Enumerable.Range(0, 7).Reverse().Select(Sample).ToArray();
        var result = await new DatasetWriter(Store, shardBytes: 40_000).WriteAsync("world", 128, samples);
        Assert.False(result.Unchanged);
        Assert.True(result.Manifest.Shards.Count > 1, $"{result.Manifest.Shards.Count} shard(s)");
        Assert.Equal(7, result.Manifest.Shards.Sum(s => s.Samples));

        var reader = await DatasetReader.OpenAsync(Store, "world");
        Assert.Equal(samples.Select(s => s.Info.Id).Order(StringComparer.Ordinal), reader.Manifest.Samples.Select(s => s.Info.Id));
        foreach (var sample in reader.Manifest.Samples)
        {
            var expected = await samples.Single(s => s.Info.Id == sample.Info.Id).Frames(default);
            Assert.Equal(expected.Data, (await reader.ReadAsync(sample)).Data);
            Assert.Equal(samples.Single(s => s.Info.Id == sample.Info.Id).Info, sample.Info);
        }
    }

    [Fact]
    public async Task Writing_the_same_dataset_again_changes_nothing_and_another_one_is_refused()
    {
        var samples = Enumerable.Range(0, 3).Select(Sample).ToArray();
        var first = await new DatasetWriter(Store).WriteAsync("world", 128, samples);
        var keys = await Store.ListAsync("");
        var again = await new DatasetWriter(Store).WriteAsync("world", 128, samples.Reverse().ToArray());
        Assert.True(again.Unchanged);
        Assert.Equal(keys, await Store.ListAsync(""));

        var manifest = await Store.ReadAllBytesAsync(first.ManifestKey);
        var e = await Assert.ThrowsAsync<IOException>(() => new DatasetWriter(Store).WriteAsync("world", 128, samples.Take(2).ToArray()));
        Assert.Contains("already exists", e.Message);
        Assert.Equal(manifest, await Store.ReadAllBytesAsync(first.ManifestKey));
        // The refused write took back the shard it had added and touched none of the existing ones.
        Assert.Equal(keys, await Store.ListAsync(""));

        var replaced = await new DatasetWriter(Store).WriteAsync("world", 128, samples.Take(2).ToArray(), overwrite: true);
        Assert.Equal(2, replaced.Manifest.Samples.Count);
        // Only the new manifest and its shards are left.
        Assert.Equal(replaced.Manifest.Shards.Select(s => s.Key).Append(replaced.ManifestKey).Order(StringComparer.Ordinal), await Store.ListAsync(""));
    }

    [Fact]
    public async Task A_damaged_or_truncated_shard_is_named_never_read_as_data()
    {
        var result = await new DatasetWriter(Store).WriteAsync("world", 128, Enumerable.Range(0, 2).Select(Sample).ToArray());
        var shard = result.Manifest.Shards[0].Key;
        var bytes = await Store.ReadAllBytesAsync(shard);

        bytes[10] ^= 0xFF;
        await Store.WriteAsync(shard, new MemoryStream(bytes), ArtefactWriteMode.Overwrite);
        var reader = await DatasetReader.OpenAsync(Store, "world");
        var damaged = await Assert.ThrowsAsync<InvalidDataException>(() => reader.ReadAsync(reader.Manifest.Samples[0]));
        Assert.Contains("clip-00", damaged.Message);

        await Store.WriteAsync(shard, new MemoryStream(bytes[..(bytes.Length / 2)]), ArtefactWriteMode.Overwrite);
        reader = await DatasetReader.OpenAsync(Store, "world");
        var truncated = await Assert.ThrowsAsync<InvalidDataException>(() => reader.ReadAsync(reader.Manifest.Samples[1]));
        Assert.Contains("truncated", truncated.Message);
    }

    [Fact]
    public async Task Bad_input_names_the_field()
    {
        var samples = Enumerable.Range(0, 2).Select(Sample).ToArray();
        Assert.Equal("name", (await Assert.ThrowsAsync<ArgumentException>(() => new DatasetWriter(Store).WriteAsync("a/b", 128, samples))).ParamName);
        Assert.Equal("name", (await Assert.ThrowsAsync<ArgumentException>(() => new DatasetWriter(Store).WriteAsync("bad name", 128, samples))).ParamName);
        Assert.Equal("packCapacity", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => new DatasetWriter(Store).WriteAsync("world", 0, samples))).ParamName);
        Assert.Equal("samples", (await Assert.ThrowsAsync<ArgumentException>(() => new DatasetWriter(Store).WriteAsync("world", 128, [samples[0], samples[0]]))).ParamName);
        var wrongSize = (samples[0].Info with { Frames = 5 }, samples[0].Frames);
        Assert.Equal("samples", (await Assert.ThrowsAsync<ArgumentException>(() => new DatasetWriter(Store).WriteAsync("world", 128, [wrongSize]))).ParamName);
        Assert.False(await Store.ExistsAsync(DatasetManifest.ManifestKey("world")));
        await Assert.ThrowsAsync<ArtefactNotFoundException>(() => DatasetReader.OpenAsync(Store, "missing"));
    }
}
