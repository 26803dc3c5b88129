using Seaweed.Model;

namespace Seaweed.Silo.Api;

/// <summary>The default model's configuration (<c>Seaweed:Api:Model</c>), read on first use and kept: requests are
/// checked against its grid and take their defaults from it. A model not there yet is tried again next time.</summary>
internal sealed class DefaultModel(ApiSettings settings)
{
    private readonly Lazy<SeaweedConfig> config = new(() => Load(settings.Model), LazyThreadSafetyMode.PublicationOnly);

    public SeaweedConfig Config => config.Value;

    private static SeaweedConfig Load(string directory)
    {
        string path = Path.Combine(directory, SeaweedModel.ConfigFile);
        if (!File.Exists(path)) throw new ModelUnavailableException($"no model at {Path.GetFullPath(directory)}: {SeaweedModel.ConfigFile} is missing ({ApiSettings.Section}:Model)");
        return SeaweedConfig.FromJson(File.ReadAllText(path));
    }
}

/// <summary>The model requests are checked against cannot be read: the service, not the request, is at fault (503).</summary>
internal sealed class ModelUnavailableException(string message) : Exception(message);
