using Seaweed.Model;

namespace Seaweed.Training;

/// <summary>
/// The model a run trains: a preset or a <c>config.json</c> (fresh weights from the run's seed), or a saved model
/// directory (<see cref="Directory"/> set: training starts from its weights and tokenizer).
/// </summary>
/// <param name="Name">The config's <c>model</c> value this was resolved from.</param>
public sealed record ModelSource(string Name, SeaweedConfig Config, string? Directory)
{
    public static ModelSource Resolve(string model, string baseDirectory)
    {
        if (Presets.All.TryGetValue(model, out var preset)) return new ModelSource(model, preset, null);
        var path = Path.GetFullPath(model, baseDirectory);
        if (System.IO.Directory.Exists(path))
        {
            var file = Path.Combine(path, SeaweedModel.ConfigFile);
            if (!File.Exists(file)) throw new ConfigException("model", $"the directory {path} has no {SeaweedModel.ConfigFile}");
            return new ModelSource(model, Read(file), path);
        }
        if (File.Exists(path)) return new ModelSource(model, Read(path), null);
        throw new ConfigException("model", $"'{model}' is neither a preset ({string.Join(", ", Presets.All.Keys)}) nor a model config file or directory (looked at {path})");
    }

    private static SeaweedConfig Read(string file)
    {
        try
        {
            return SeaweedConfig.FromJson(File.ReadAllText(file));
        }
        catch (ConfigException e)
        {
            throw new ConfigException($"model.{e.Field}", $"{file}: {e.Reason}");
        }
    }
}
