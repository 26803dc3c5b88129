using Seaweed.Model;

namespace Seaweed.Grains.Generation;

/// <summary>
/// The models of one silo, each loaded once from its directory (keyed by full path) and kept until the silo stops.
/// A model's config is read without loading its weights, so requests are checked before they queue.
/// </summary>
/// <param name="load">Loads the model in a directory (<see cref="SeaweedModel.Load"/> unless given), giving up when its token fires.</param>
public sealed class ModelCache(Func<string, CancellationToken, SeaweedModel>? load = null) : IDisposable
{
    private readonly Dictionary<string, SeaweedModel> models = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SeaweedConfig> configs = new(StringComparer.Ordinal);
    private readonly Lock gate = new(); // guards the dictionaries, never held while loading
    private readonly Lock loading = new(); // one load at a time: a model loads once however many ask

    /// <summary>The model in <paramref name="directory"/>, loaded on first use; call it on a compute thread.</summary>
    public SeaweedModel Get(string directory, CancellationToken cancellationToken = default)
    {
        lock (gate)
            if (models.TryGetValue(directory, out var cached)) return cached;
        lock (loading)
        {
            lock (gate)
                if (models.TryGetValue(directory, out var known)) return known;
            var model = load is null ? SeaweedModel.Load(directory) : load(directory, cancellationToken);
            lock (gate)
            {
                models[directory] = model;
                configs[directory] = model.Config;
            }
            return model;
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
            foreach (var model in models.Values) model.Dispose();
            models.Clear();
        }
    }
}
