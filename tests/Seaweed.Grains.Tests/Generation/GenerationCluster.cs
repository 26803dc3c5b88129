using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.Serialization.Serializers;
using Orleans.Storage;
using Orleans.TestingHost;
using Seaweed.Data.Store;
using Seaweed.Grains.Generation;
using Seaweed.Grains.Storage;
using Seaweed.Model;
using Seaweed.Tests.Shared;

namespace Seaweed.Grains.Tests.Generation;

/// <summary>
/// In-process silos that generate with a tiny random model: grain state in files (it outlives a killed silo; its
/// writes fail while <see cref="FailsWrite"/> says so), one local artefact store, quick failure detection, in-memory reminders with a watchdog that ticks every
/// <see cref="WatchdogPeriod"/> (the minimum period lowered to allow it).
/// </summary>
public sealed class GenerationCluster : IAsyncDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("seaweed-generation-").FullName;

    private GenerationCluster()
    {
        Store = new LocalArtefactStore(Path.Combine(root, "artefacts"));
        Model = TinyModel.Save(Path.Combine(root, "model"));
    }

    public InProcessTestCluster Cluster { get; private set; } = null!;
    public LocalArtefactStore Store { get; }
    public string Model { get; }
    public IGrainFactory Grains => Cluster.Client;

    /// <summary>Which job states the grain storage refuses to write; none unless a test says.</summary>
    public Func<GenerationJobState, bool> FailsWrite { get; set; } = _ => false;

    public static readonly TimeSpan WatchdogPeriod = TimeSpan.FromSeconds(2);

    /// <param name="load">Loads a model on silo i (its index, the directory, the load's token); null: as silos do.</param>
    /// <param name="options">Changes silo i's generation options.</param>
    public static async Task<GenerationCluster> StartAsync(short silos, int queueCapacity = 8, Func<int, string, CancellationToken, SeaweedModel>? load = null,
        Func<GenerationOptions, GenerationOptions>? options = null)
    {
        var cluster = new GenerationCluster();
        var builder = new InProcessTestClusterBuilder(silos);
        builder.ConfigureSilo((siloOptions, silo) =>
        {
            int index = int.Parse(siloOptions.SiloName["Silo_".Length..], CultureInfo.InvariantCulture);
            var defaults = new GenerationOptions { DefaultModel = cluster.Model, QueueCapacity = queueCapacity, WatchdogPeriod = WatchdogPeriod };
            var generation = options?.Invoke(defaults) ?? defaults;
            silo.Services.AddGrainStorage(SeaweedStorage.Name, (services, name) => new FailingGrainStorage(
                new FileGrainStorage(Path.Combine(cluster.root, "grains"), services.GetRequiredService<IGrainStorageSerializer>(), services.GetRequiredService<IActivatorProvider>()),
                state => state is GenerationJobState job && cluster.FailsWrite(job)));
            silo.UseInMemoryReminderService()
                .Configure<ReminderOptions>(o => o.MinimumReminderPeriod = WatchdogPeriod)
                .AddGeneration(generation, load is null ? null : new ModelCache(generation.CachedModels, (directory, token) => load(index, directory, token)))
                .Configure<ClusterMembershipOptions>(o =>
                {
                    o.ProbeTimeout = TimeSpan.FromSeconds(1);
                    o.NumMissedProbesLimit = 2;
                    o.NumVotesForDeathDeclaration = 1;
                });
            silo.Services.AddSingleton<IArtefactStore>(cluster.Store);
        });
        cluster.Cluster = builder.Build();
        await cluster.Cluster.DeployAsync();
        return cluster;
    }

    /// <summary>A request for the tiny model's native 9 frames of 32×32.</summary>
    public static GenerationRequest Request(string prompt = "a crimson ball moving left", int steps = 2, long seed = 1, string? image = null, string? video = null) =>
        new(prompt, 9, 32, 32, steps, 3, seed, image, video);


    /// <summary>Every status Watch yields until the job finishes (the stream is taken up again if the silo answering it dies).</summary>
    public async Task<List<GenerationStatus>> WatchAsync(string job, TimeSpan? limit = null)
    {
        using var timeout = new CancellationTokenSource(limit ?? TimeSpan.FromMinutes(2));
        var seen = new List<GenerationStatus>();
        while (true)
        {
            try
            {
                await foreach (var status in Grains.GetGrain<IGenerationGrain>(job).Watch(timeout.Token))
                {
                    seen.Add(status);
                    if (status.IsFinished) return seen;
                }
            }
            catch (Exception e) when (e is SiloUnavailableException or TimeoutException or OrleansMessageRejectionException or EnumerationAbortedException
                                          && !timeout.IsCancellationRequested)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Watches until a worker has started the job (or it is over).</summary>
    public async Task<GenerationStatus> RunningAsync(string job)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await foreach (var status in Grains.GetGrain<IGenerationGrain>(job).Watch(timeout.Token))
            if (status.Phase == GenerationPhase.Running || status.IsFinished) return status;
        throw new InvalidOperationException($"job {job} ended its watch before running");
    }

    /// <summary>
    /// Reads only the store, never the job: waits until <paramref name="key"/> is there (a job that nobody calls
    /// finishing on its own), failing after <paramref name="limit"/>.
    /// </summary>
    public async Task StoredAsync(string key, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!(await Store.ListAsync(key)).Contains(key))
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"{key} was not stored within {limit.TotalSeconds} s");
            await Task.Delay(200);
        }
    }

    /// <summary>The job as grain storage holds it (a fresh state if it holds none).</summary>
    public async Task<GenerationJobState> StoredStateAsync(string job)
    {
        var state = new GrainState<GenerationJobState>(new GenerationJobState());
        await GrainStorage.ReadStateAsync(GenerationGrain.StateName, JobGrain(job), state);
        return state.State!;
    }

    /// <summary>Stores <paramref name="state"/> as job <paramref name="job"/>'s, as an activation that died would have left it.</summary>
    public Task PlantAsync(string job, GenerationJobState state) =>
        GrainStorage.WriteStateAsync(GenerationGrain.StateName, JobGrain(job), new GrainState<GenerationJobState>(state));

    private IGrainStorage GrainStorage => Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(SeaweedStorage.Name);
    private GrainId JobGrain(string job) => Grains.GetGrain<IGenerationGrain>(job).GetGrainId();

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in Cluster.Silos.ToArray()) await Cluster.StopSiloAsync(silo);
        await Cluster.DisposeAsync();
        Directory.Delete(root, recursive: true);
    }
}
