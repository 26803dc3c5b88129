using Seaweed.Parallel.Transport;
using Seaweed.Training.Checkpoints;
using Seaweed.Training.Ranks;
using Seaweed.Training.Samples;
using static TorchSharp.torch;

namespace Seaweed.Training.Tests;

/// <summary>Test classes that build models: torch's global generator seeds them, so they do not run side by side.</summary>
[CollectionDefinition(Name)]
public sealed class TorchGlobalRng
{
    public const string Name = "torch global generator";
}

/// <summary>In-process ranks of one run, each on its own thread (collectives block), as device workers run them.</summary>
internal sealed class Mesh : IDisposable
{
    // libtorch's intra-op thread count is process-wide, not per thread: one thread per op keeps a mesh's rank
    // threads from oversubscribing the cores, for every test in this assembly alike.

    private Mesh(RankTrainer[] ranks) => Ranks = ranks;

    public RankTrainer[] Ranks { get; }

    public static Mesh Start(TrainingConfig config)
    {
        var transports = InProcessTransport.Create(config.Parallel.Ranks);
        return new Mesh(OnEveryRank(transports.Length, r => new RankTrainer(config, r, transports[r], Source(config))));
    }

    public static ISampleSource Source(TrainingConfig config) =>
        SampleSources.OpenAsync(config, null).GetAwaiter().GetResult();

    public T[] Run<T>(Func<RankTrainer, T> body) => OnEveryRank(Ranks.Length, r => body(Ranks[r]));

    public static T[] OnEveryRank<T>(int ranks, Func<int, T> body)
    {
        var results = new T[ranks];
        var errors = new Exception?[ranks];
        var threads = Enumerable.Range(0, ranks).Select(r => new Thread(() =>
        {
            try
            {
                results[r] = body(r);
            }
            catch (Exception e)
            {
                errors[r] = e;
            }
        })).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        if (errors.FirstOrDefault(e => e is not null) is { } first) throw new AggregateException(errors.OfType<Exception>().Prepend(first).Distinct());
        return results;
    }

    /// <summary>Each unit's full parameter vector, assembled from the ranks' shards; every replica of a shard must hold the same values.</summary>
    public static Dictionary<string, float[]> Parameters(IEnumerable<RankSnapshot> snapshots)
    {
        var pieces = new Dictionary<string, SortedDictionary<long, float[]>>();
        foreach (var s in snapshots)
        foreach (var (name, t) in s.Tensors.Where(kv => kv.Key.EndsWith(".param", StringComparison.Ordinal)))
        {
            string unit = name[..^".param".Length];
            long start = s.Tensors[$"{unit}.range"].data<long>()[0];
            if (!pieces.TryGetValue(unit, out var byStart)) pieces[unit] = byStart = [];
            var values = t.data<float>().ToArray();
            if (!byStart.TryAdd(start, values))
                Assert.True(byStart[start].AsSpan().SequenceEqual(values), $"rank {s.Rank}'s shard of {unit} at {start} differs from another replica's");
        }
        return pieces.ToDictionary(kv => kv.Key, kv => kv.Value.Values.SelectMany(x => x).ToArray());
    }

    public void Dispose()
    {
        foreach (var r in Ranks) r.Dispose();
    }
}
