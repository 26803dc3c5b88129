using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;
using Seaweed.Data.Store;
using Seaweed.Grains.Devices;
using Seaweed.Grains.Storage;
using Seaweed.Grains.Training;

namespace Seaweed.Grains.Tests.Training;

/// <summary>
/// In-process silos with the given CPU device counts, the given trainers, grain state in files (so it outlives a
/// killed silo) and one local artefact store. Failure detection is quick: a killed silo is declared dead in seconds.
/// </summary>
public sealed class TrainingCluster : IAsyncDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("seaweed-training-").FullName;

    private TrainingCluster() => Store = new LocalArtefactStore(Path.Combine(root, "artefacts"));

    public InProcessTestCluster Cluster { get; private set; } = null!;
    public LocalArtefactStore Store { get; }

    public static async Task<TrainingCluster> StartAsync(int[] devicesPerSilo, IReadOnlyDictionary<string, IRankTrainerFactory> trainers)
    {
        var cluster = new TrainingCluster();
        var builder = new InProcessTestClusterBuilder((short)devicesPerSilo.Length);
        builder.ConfigureSilo((options, silo) =>
        {
            int index = int.Parse(options.SiloName["Silo_".Length..], CultureInfo.InvariantCulture);
            silo.AddDevices(new DeviceOptions { Count = devicesPerSilo[index] })
                .AddFileGrainStorage(SeaweedStorage.Name, Path.Combine(cluster.root, "grains"))
                .Configure<ClusterMembershipOptions>(o =>
                {
                    o.ProbeTimeout = TimeSpan.FromSeconds(1);
                    o.NumMissedProbesLimit = 2;
                    o.NumVotesForDeathDeclaration = 1;
                });
            foreach (var (name, factory) in trainers) silo.AddRankTrainer(name, factory);
            silo.Services.AddSingleton<IArtefactStore>(cluster.Store);
        });
        cluster.Cluster = builder.Build();
        await cluster.Cluster.DeployAsync();
        return cluster;
    }

    public IGrainFactory Grains => Cluster.Client;

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        Directory.Delete(root, recursive: true);
    }
}
