using Microsoft.Extensions.Configuration;
using Seaweed.Data.Store;
using Seaweed.Grains.Devices;
using Seaweed.Grains.Generation;
using Seaweed.Model;

namespace Seaweed.Silo;

/// <summary>
/// Everything the silo host reads from configuration, checked before anything starts: a bad value is a
/// <see cref="ConfigException"/> naming its key. In an <c>azure</c> cluster the artefacts live in the account's blob
/// container (<c>Seaweed:Artefacts:Container</c>), so every silo sees the same ones.
/// </summary>
public sealed record HostSettings(
    ClusterSettings Cluster, SiloSettings Silo, ComputeSettings Compute, DeviceOptions Devices, GenerationOptions Generation, ApiSettings Api)
{
    public const string DevicesSection = "Seaweed:Devices";

    public static HostSettings Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var cluster = ClusterSettings.Load(configuration);
        var silo = SiloSettings.Load(configuration);
        if (cluster.IsAzure)
        {
            silo = silo with
            {
                Artefacts = new ArtefactStoreOptions
                {
                    Kind = ArtefactStoreOptions.AzureKind,
                    ConnectionString = silo.Artefacts.ConnectionString ?? cluster.ConnectionString,
                    Container = silo.Artefacts.Container,
                },
            };
        }
        silo.Artefacts.Validate();
        var devices = ConfigSection.Bind<DeviceOptions>(configuration, DevicesSection);
        try
        {
            devices.Resolve();
        }
        catch (ArgumentException e)
        {
            throw new ConfigException($"{DevicesSection}:{e.ParamName}", e.Message);
        }
        return new HostSettings(cluster, silo, ComputeSettings.Load(configuration), devices, LoadGeneration(configuration), ApiSettings.Load(configuration));
    }

    private static GenerationOptions LoadGeneration(IConfiguration configuration)
    {
        var options = ConfigSection.Bind(configuration, GenerationOptions.Section, new GenerationOptions());
        try
        {
            return options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new ConfigException($"{GenerationOptions.Section}:{e.ParamName}", e.Message.Replace($" (Parameter '{e.ParamName}')", ""));
        }
    }
}
