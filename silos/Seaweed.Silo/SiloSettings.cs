using Microsoft.Extensions.Configuration;
using Seaweed.Data.Store;
using Seaweed.Model;

namespace Seaweed.Silo;

/// <summary>
/// <c>Seaweed:Silo</c> (where embedded silos keep grain state, CPU workers per silo) and <c>Seaweed:Artefacts</c>
/// (the artefact store), from the same configuration as <see cref="ComputeSettings"/>.
/// </summary>
public sealed record SiloSettings
{
    public const string Section = "Seaweed:Silo";

    public string StateDirectory { get; init; } = Path.Combine(".seaweed", "grains");

    /// <summary>CPU worker threads per silo; 0 shares the cores out among the silos of this process.</summary>
    public int Workers { get; init; }

    public ArtefactStoreOptions Artefacts { get; init; } = new();

    /// <summary>With the default, every silo count runs on as many workers in all as there are cores, so a
    /// comparison across silo counts measures the silos, not more threads.</summary>
    public int WorkersPerSilo(int silos) => Workers > 0 ? Workers : Math.Max(1, Environment.ProcessorCount / silos);

    public static SiloSettings Load(IConfiguration? configuration = null)
    {
        configuration ??= ComputeSettings.Configuration();
        var settings = ConfigSection.Bind<SiloSettings>(configuration, Section);
        var artefacts = ConfigSection.Bind<ArtefactStoreOptions>(configuration, ArtefactStoreOptions.Section);
        if (settings.Workers < 0) throw new ConfigException($"{Section}:Workers", $"{settings.Workers} must be 0 (the cores shared among the silos) or positive");
        if (string.IsNullOrWhiteSpace(settings.StateDirectory)) throw new ConfigException($"{Section}:StateDirectory", "must name a directory");
        return settings with { Artefacts = artefacts };
    }
}
