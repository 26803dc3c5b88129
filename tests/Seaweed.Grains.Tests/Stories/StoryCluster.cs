using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Storage;
using Orleans.TestingHost;
using Seaweed.Data.Store;
using Seaweed.Grains.Generation;
using Seaweed.Grains.Storage;
using Seaweed.Grains.Stories;
using Seaweed.Tests.Shared;

namespace Seaweed.Grains.Tests.Stories;

/// <summary>
/// In-process silos that generate stories with a tiny random model (9 frames of 32×32), two model threads each, grain
/// state in files and one local artefact store under one directory, so a second cluster over the same directory
/// takes up what the first left (a restart). Failure detection is quick: a killed silo is declared dead in seconds.
/// </summary>
public sealed class StoryCluster : IAsyncDisposable
{
    private readonly string root;
    private readonly bool owner;

    private StoryCluster(string root, bool owner)
    {
        (this.root, this.owner) = (root, owner);
        Store = new LocalArtefactStore(Path.Combine(root, "artefacts"));
        Model = Path.Combine(root, "model");
        if (!Directory.Exists(Model)) TinyModel.Save(Model);
    }

    public InProcessTestCluster Cluster { get; private set; } = null!;
    public LocalArtefactStore Store { get; }
    public string Model { get; }
    public string Root => root;
    public IGrainFactory Grains => Cluster.Client;

    /// <summary>Every call each grain received, as <c>Interface.Method</c> in order, by the grain's key: a grain's own
    /// methods, and the enumeration calls that carry its watches.</summary>
    public ConcurrentDictionary<string, ConcurrentQueue<string>> Calls { get; } = new();

    /// <param name="root">The directory of an earlier cluster to take up; null for a fresh one, removed on dispose.</param>
    /// <param name="storeFor">What the silos see of the store.</param>
    public static async Task<StoryCluster> StartAsync(short silos, string? root = null, Func<IArtefactStore, IArtefactStore>? storeFor = null)
    {
        var cluster = new StoryCluster(root ?? Directory.CreateTempSubdirectory("seaweed-story-").FullName, owner: root is null);
        var builder = new InProcessTestClusterBuilder(silos);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddFileGrainStorage(SeaweedStorage.Name, Path.Combine(cluster.root, "grains"))
                .UseInMemoryReminderService()
                .AddGeneration(new GenerationOptions { DefaultModel = cluster.Model, Workers = 2 })
                .AddStories(new StoryOptions { WatchInterval = TimeSpan.FromMilliseconds(20), RetryDelay = TimeSpan.FromMilliseconds(200) }, workers: 1)
                .Configure<ClusterMembershipOptions>(o =>
                {
                    o.ProbeTimeout = TimeSpan.FromSeconds(1);
                    o.NumMissedProbesLimit = 2;
                    o.NumVotesForDeathDeclaration = 1;
                });
            silo.Services.AddSingleton(storeFor?.Invoke(cluster.Store) ?? cluster.Store);
            silo.AddIncomingGrainCallFilter(async context =>
            {
                // Recorded once answered, with the phase a job answered, so a test can tell what the caller saw.
                var call = $"{context.InterfaceMethod?.DeclaringType?.Name}.{context.MethodName}";
                try
                {
                    await context.Invoke();
                }
                finally
                {
                    cluster.Calls.GetOrAdd(context.TargetId.Key.ToString()!, _ => new())
                        .Enqueue(context.Result is GenerationStatus status ? $"{call} → {status.Phase}" : call);
                }
            });
        });
        cluster.Cluster = builder.Build();
        await cluster.Cluster.DeployAsync();
        return cluster;
    }

    /// <summary>A story for the tiny model: its native 32×32, two Euler steps, guidance 3.</summary>
    public static StoryRequest Request(string description, params ShotRequest[] shots) => new(description, shots, 32, 32, 2, 3, Seed: 5);

    public async Task<StoryStatus> RunAsync(string story, StoryRequest request, TimeSpan? limit = null)
    {
        await Grains.GetGrain<IStoryGrain>(story).Start(request);
        return await FinishedAsync(story, limit);
    }

    /// <summary>Polls until the story finishes, through the deaths of the silos that answer.</summary>
    public async Task<StoryStatus> FinishedAsync(string story, TimeSpan? limit = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromMinutes(2));
        while (true)
        {
            if (await StatusAsync(story) is { IsFinished: true } status) return status;
            if (DateTime.UtcNow > deadline) Assert.Fail($"story {story} did not finish in time");
            await Task.Delay(50);
        }
    }

    /// <summary>The story's status, or null while the silo answering it is dying.</summary>
    public async Task<StoryStatus?> StatusAsync(string story)
    {
        try
        {
            return await Grains.GetGrain<IStoryGrain>(story).GetStatus();
        }
        catch (Exception e) when (StoryOptions.IsTransient(e))
        {
            return null;
        }
    }

    /// <summary>How many times a model thread started the job of <paramref name="shot"/>, as the job's persisted state says.</summary>
    public async Task<int> RunsOf(string story, int shot) =>
        (await Persisted<GenerationJobState>("generation", StoryKeys.Job(story, shot)))?.Attempts ?? 0;

    /// <summary>Shot <paramref name="shot"/>'s job as the story's persisted state records it: recorded only once the
    /// story's chain has its segment's result, right before the chain goes on to the next shot or ends.</summary>
    public async Task<GenerationStatus?> RecordedJob(string story, int shot) =>
        (await Persisted<StoryState>("story", story))?.Shots.ElementAtOrDefault(shot)?.Job;

    private async Task<T?> Persisted<T>(string grainType, string key) where T : class, new()
    {
        var storage = Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(SeaweedStorage.Name);
        var state = new GrainState<T>(new T());
        await storage.ReadStateAsync(grainType, GrainId.Create(grainType, key), state);
        return state.State;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in Cluster.Silos.ToArray()) await Cluster.StopSiloAsync(silo);
        await Cluster.DisposeAsync();
        if (owner) Directory.Delete(root, recursive: true);
    }
}
