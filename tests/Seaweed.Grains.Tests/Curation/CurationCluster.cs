using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Seaweed.Data.Curation;
using Seaweed.Data.Footage;
using Seaweed.Data.Store;
using Seaweed.Data.Video;
using Seaweed.Grains.Curation;

namespace Seaweed.Grains.Tests.Curation;

/// <summary>
/// Two in-process silos running the curation grains over one shared (fault-injectable) local store, with a few
/// short raw footage videos already in it.
/// </summary>
public sealed class CurationCluster : IAsyncLifetime
{
    public const string InputPrefix = "inputs/test/";
    public const int VideoCount = 3;

    private readonly string root = Directory.CreateTempSubdirectory("seaweed-curation-").FullName;

    public InProcessTestCluster Cluster { get; private set; } = null!;
    internal FaultyStore Store { get; private set; } = null!;
    public IReadOnlyList<CurationInput> Inputs { get; private set; } = [];
    public IReadOnlyList<FootageTruth> Truth { get; private set; } = [];

    public static CurationOptions Options { get; } = new() { Seed = 5 };

    public async Task InitializeAsync()
    {
        Store = new FaultyStore(new LocalArtefactStore(root));
        var generator = new FootageGenerator(new FootageOptions { Seed = 21, MinShots = 3, MaxShots = 4, MinShotFrames = 16, MaxShotFrames = 24 });
        var ffmpeg = Ffmpeg.Locate();
        if (!ffmpeg.IsAvailable) Assert.Fail($"ffmpeg is missing ({ffmpeg.UnavailableReason}): run deploy/bootstrap.sh");
        var truth = new List<FootageTruth>();
        for (int v = 0; v < VideoCount; v++) truth.Add(await FootageStore.EnsureAsync(Store, ffmpeg, generator, InputPrefix, v));
        Truth = truth;
        Inputs = Enumerable.Range(0, VideoCount).Select(v => new CurationInput(FootageGenerator.VideoId(v), FootageStore.VideoKey(InputPrefix, v))).ToArray();

        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) => silo
            .AddMemoryGrainStorage(SeaweedStorage.Name)
            .AddMemoryGrainStorage("PubSubStore")
            .AddMemoryStreams(CurationStreams.Provider)
            .AddCuration(Options, workers: 1)
            .Services.AddSingleton<IArtefactStore>(Store));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    /// <summary>Runs a request to the end under a fresh run id.</summary>
    public async Task<CurationStatus> RunAsync(CurationRequest request, TimeSpan? limit = null)
    {
        var grain = Cluster.Client.GetGrain<ICurationRunGrain>($"run-{Guid.NewGuid():N}");
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromMinutes(3));
        var status = await grain.Start(request);
        while (!status.IsFinished)
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"run {status.RunId} did not finish in time: {status}");
            await Task.Delay(100);
            status = await grain.GetStatus();
        }
        return status;
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        Directory.Delete(root, recursive: true);
    }
}
