using Orleans.TestingHost;
using Seaweed.Grains.Decoding;

namespace Seaweed.Grains.Tests.Decoding;

/// <summary>
/// Two in-process silos that decode with <see cref="SeededVaes"/>, shared by a test class. Model
/// <see cref="BrokenOnSecondSilo"/> is the 48× VAE on the first silo and fails to load on the second.
/// </summary>
public sealed class DecodingCluster : IAsyncLifetime
{
    public const string BrokenOnSecondSilo = "broken-on-second-silo";

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((options, silo) => silo.AddVaeDecoding(model => model != BrokenOnSecondSilo ? SeededVaes.Load(model)
            : options.SiloName == "Silo_0" ? SeededVaes.Load(SeededVaes.Vae48)
            : throw new InvalidOperationException($"{model} does not load on {options.SiloName}")));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var silo in Cluster.Silos.ToArray()) await Cluster.StopSiloAsync(silo);
        await Cluster.DisposeAsync();
    }
}
