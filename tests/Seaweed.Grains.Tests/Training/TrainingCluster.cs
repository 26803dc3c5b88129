using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;
using Seaweed.Data.Store;
using Seaweed.Grains.Devices;
using Seaweed.Grains.Storage;
using Seaweed.Grains.Training;
using Seaweed.Training.Checkpoints;

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

    /// <summary>Starts (or resumes) a run and waits for it to finish.</summary>
    public async Task<TrainingProgress> RunAsync(string runId, TrainingRunRequest request, TimeSpan? limit = null)
    {
        await Grains.GetGrain<ITrainingRunGrain>(runId).Start(request);
        return await FinishedAsync(runId, limit);
    }

    public async Task<TrainingProgress> FinishedAsync(string runId, TimeSpan? limit = null)
    {
        var grain = Grains.GetGrain<ITrainingRunGrain>(runId);
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromMinutes(2));
        while (true)
        {
            TrainingProgress? progress = null;
            try
            {
                progress = await grain.GetProgress();
                if (progress.IsFinished) return progress;
            }
            // The run's silo may have just died: the call is answered once the run is activated elsewhere.
            catch (Exception e) when (e is SiloUnavailableException or TimeoutException or OrleansMessageRejectionException) { }
            if (DateTime.UtcNow > deadline) Assert.Fail($"run {runId} did not finish in time: {progress}");
            await Task.Delay(100);
        }
    }

    /// <summary>A rank's tensors in the run's newest checkpoint that verifies.</summary>
    public async Task<Dictionary<string, TorchSharp.torch.Tensor>> FinalShardAsync(string runId, int rank)
    {
        var latest = (await TrainingCheckpoint.FindLatestAsync(Store, runId)).Latest ?? throw new InvalidOperationException($"run {runId} has no checkpoint");
        return await TrainingCheckpoint.ReadShardAsync(Store, latest, rank);
    }

    public async ValueTask DisposeAsync()
    {
        // One by one: disposing the whole cluster at once after a kill was seen to wait out the 30 s shutdown timeout.
        foreach (var silo in Cluster.Silos.ToArray()) await Cluster.StopSiloAsync(silo);
        await Cluster.DisposeAsync();
        Directory.Delete(root, recursive: true);
    }
}
