using Seaweed.Data;
using Seaweed.Data.Dataset;
using Seaweed.Data.Store;
using Seaweed.Model;

namespace Seaweed.Training.Samples;

/// <summary>
/// A curated dataset from the artefact store, read in a fresh order every epoch (a permutation seeded by (seed,
/// epoch)). Both streams walk the same samples in different orders; an image is one frame of a sample.
/// </summary>
public sealed class DatasetSampleSource : ISampleSource
{
    private readonly DatasetReader reader;
    private readonly long seed;
    private readonly SemaphoreSlim reading = new(1, 1);
    private readonly Lock orderLock = new();
    private readonly Dictionary<Modality, (long Epoch, int[] Order)> orders = [];

    private DatasetSampleSource(DatasetReader reader, long seed)
    {
        this.reader = reader;
        this.seed = seed;
    }

    /// <exception cref="ConfigException">(<c>data.name</c>) the store has no such dataset, or it is empty.</exception>
    public static async Task<DatasetSampleSource> OpenAsync(IArtefactStore store, string name, long seed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        DatasetReader reader;
        try
        {
            reader = await DatasetReader.OpenAsync(store, name, cancellationToken);
        }
        catch (ArtefactNotFoundException)
        {
            throw new ConfigException("data.name", $"no dataset '{name}' in the artefact store at {store.Location}");
        }
        if (reader.Manifest.Samples.Count == 0) throw new ConfigException("data.name", $"the dataset '{name}' has no samples");
        return new DatasetSampleSource(reader, seed);
    }

    public string Name => $"dataset {reader.Manifest.Name}";

    public SourceClip Describe(Modality modality, long index)
    {
        var info = Sample(modality, index).Info;
        return new SourceClip(modality, index, info.Width, info.Height, info.Frames, info.Caption, info.ShortCaption);
    }

    public async Task<VideoFrames> ReadAsync(SourceClip clip, CancellationToken cancellationToken = default)
    {
        var sample = Sample(clip.Modality, clip.Index);
        // The reader caches one shard and serves one consumer at a time.
        await reading.WaitAsync(cancellationToken);
        try
        {
            return await reader.ReadAsync(sample, cancellationToken);
        }
        finally
        {
            reading.Release();
        }
    }

    public IEnumerable<string> Corpus() => reader.Manifest.Samples.SelectMany(s => new[] { s.Info.Caption, s.Info.ShortCaption });

    private DatasetSample Sample(Modality modality, long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var samples = reader.Manifest.Samples;
        long epoch = index / samples.Count;
        int[] order;
        lock (orderLock)
        {
            if (!orders.TryGetValue(modality, out var cached) || cached.Epoch != epoch)
                orders[modality] = cached = (epoch, Permutation(samples.Count, Draws.For(seed, epoch, 0, $"dataset-{modality}")));
            order = cached.Order;
        }
        return samples[order[index % samples.Count]];
    }

    /// <summary>Fisher–Yates from a counter-seeded stream.</summary>
    private static int[] Permutation(int n, Seaweed.Data.World.WorldRandom rng)
    {
        var order = Enumerable.Range(0, n).ToArray();
        for (int i = n - 1; i > 0; i--)
        {
            int j = rng.Next(0, i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }
}
