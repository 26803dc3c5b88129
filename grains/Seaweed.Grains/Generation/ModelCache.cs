using Seaweed.Model;

namespace Seaweed.Grains.Generation;

/// <summary>
/// The models of one silo, each loaded once from its directory (keyed by full path) and kept while there is room: at
/// most <paramref name="capacity"/>, the least recently used one not in use making way for another. A model is in use
/// while a <see cref="ModelLease"/> from <see cref="Get"/> is held, and never disposed then (a cache whose models are
/// all in use grows past its capacity until leases come back). A model's config is read without loading its weights,
/// and kept, so requests are checked before they queue.
/// </summary>
/// <param name="capacity">Models kept at once (<see cref="GenerationOptions.CachedModels"/>).</param>
/// <param name="load">Loads the model in a directory (<see cref="SeaweedModel.Load"/> unless given), giving up when its token fires.</param>
public sealed class ModelCache(int capacity = GenerationOptions.DefaultCachedModels, Func<string, CancellationToken, SeaweedModel>? load = null) : IDisposable
{
    private readonly int capacity = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "must be positive");
    private readonly Dictionary<string, Entry> models = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SeaweedConfig> configs = new(StringComparer.Ordinal);
    private readonly Lock gate = new(); // guards the dictionaries and the entries, never held while loading
    private readonly Lock loading = new(); // one load at a time: a model loads once however many ask
    private long uses;

    /// <summary>The model in <paramref name="directory"/>, loaded on first use, kept until the lease is disposed; call it on a compute thread.</summary>
    public ModelLease Get(string directory, CancellationToken cancellationToken = default)
    {
        lock (gate)
            if (models.TryGetValue(directory, out var cached)) return Lease(cached);
        lock (loading)
        {
            lock (gate)
            {
                if (models.TryGetValue(directory, out var known)) return Lease(known);
                Evict(capacity - 1); // before loading: the models kept and the new one never exceed the capacity
            }
            var model = load is null ? SeaweedModel.Load(directory) : load(directory, cancellationToken);
            lock (gate)
            {
                var entry = new Entry(model);
                models[directory] = entry;
                configs[directory] = model.Config;
                return Lease(entry);
            }
        }
    }

    /// <summary>The config of the model in <paramref name="directory"/>; a missing or unreadable one names <c>model</c>.</summary>
    public async Task<SeaweedConfig> ConfigAsync(string directory)
    {
        lock (gate)
            if (configs.TryGetValue(directory, out var known)) return known;
        string file = Path.Combine(directory, SeaweedModel.ConfigFile);
        if (!File.Exists(file)) throw new GenerationInputException("model", $"no model at {directory} ({SeaweedModel.ConfigFile} is missing)");
        SeaweedConfig config;
        try
        {
            config = SeaweedConfig.FromJson(await File.ReadAllTextAsync(file));
        }
        catch (ConfigException e)
        {
            throw new GenerationInputException("model", $"the model at {directory} has a bad {SeaweedModel.ConfigFile}: {e.Message}");
        }
        lock (gate) configs[directory] = config;
        return config;
    }

    public void Dispose()
    {
        lock (gate)
        {
            foreach (var entry in models.Values) entry.Model.Dispose();
            models.Clear();
        }
    }

    private ModelLease Lease(Entry entry)
    {
        entry.Leases++;
        entry.LastUsed = ++uses;
        return new ModelLease(entry.Model, () =>
        {
            lock (gate)
            {
                entry.Leases--;
                Evict(capacity);
            }
        });
    }

    /// <summary>Disposes the least recently used models not in use until at most <paramref name="keep"/> are left.</summary>
    private void Evict(int keep)
    {
        while (models.Count > keep && models.Where(m => m.Value.Leases == 0).MinBy(m => m.Value.LastUsed) is { Key: { } directory, Value: { } idle })
        {
            models.Remove(directory);
            idle.Model.Dispose();
        }
    }

    private sealed class Entry(SeaweedModel model)
    {
        public SeaweedModel Model { get; } = model;
        public int Leases { get; set; }
        public long LastUsed { get; set; }
    }
}

/// <summary>A model of a <see cref="ModelCache"/> in use: the cache keeps it until this is disposed (once is enough; again does nothing).</summary>
public sealed class ModelLease(SeaweedModel model, Action release) : IDisposable
{
    private int released;

    public SeaweedModel Model { get; } = model;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref released, 1) == 0) release();
    }
}
