using Microsoft.Extensions.DependencyInjection;
using Seaweed.Data.Store;
using Seaweed.Grains.Devices;
using Seaweed.Grains.Training;

namespace Seaweed.Grains.Tests.Training;

/// <summary>One silo of one device: failures in setting a rank up or in the store end in a released device and a run
/// that finishes, never in a held lease or a run left running with no driver.</summary>
public sealed class RunFailureTests : IAsyncLifetime
{
    private FlakyStore store = null!;
    private TrainingCluster cluster = null!;

    public async Task InitializeAsync() =>
        cluster = await TrainingCluster.StartAsync([1], new Dictionary<string, IRankTrainerFactory>
        {
            ["linear"] = new LinearTrainer(),
            ["broken"] = new BrokenTrainer(),
        }, inner => store = new FlakyStore(inner));

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    private int FreeDevices => cluster.Cluster.GetSiloServiceProvider(cluster.Cluster.Silos[0].SiloAddress).GetRequiredService<DeviceHost>().Free;

    private static TrainingRunRequest Request(string trainer, int maxRestarts) =>
        new(LinearTrainer.Config(1, steps: 8, every: 4), Trainer: trainer, StepTimeout: TimeSpan.FromSeconds(30), CollectiveTimeout: TimeSpan.FromSeconds(10), MaxRestarts: maxRestarts);

    [Fact]
    public async Task A_rank_whose_trainer_cannot_be_made_gives_its_device_back()
    {
        var rank = cluster.Grains.GetGrain<IRankGrain>(TrainingKeys.Rank("direct", 0));
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => rank.Prepare(new RankSetup("direct", 0, 1, 1, "broken", "", null, null, TimeSpan.FromSeconds(10), 1 << 20)));
        Assert.Equal(BrokenTrainer.Reason, e.Message);
        Assert.Equal(1, FreeDevices);

        // A failed setup is retried until the assembly's deadline (the step timeout), in each of the two epochs.
        var failed = await cluster.RunAsync("broken", Request("broken", maxRestarts: 1) with { StepTimeout = TimeSpan.FromSeconds(3) }, TimeSpan.FromSeconds(60));
        Assert.Equal(TrainingPhase.Failed, failed.Phase);
        Assert.Contains(BrokenTrainer.Reason, failed.Error);
        Assert.EndsWith("(after 1 restarts)", failed.Error);
        Assert.Equal(1, FreeDevices);
        Assert.Equal(TrainingPhase.Completed, (await cluster.RunAsync("after-broken", Request("linear", maxRestarts: 0), TimeSpan.FromSeconds(60))).Phase);
    }

    [Fact]
    public async Task A_store_error_costs_a_restart_and_never_leaves_the_run_stuck()
    {
        store.ManifestFailures = 1;
        var recovered = await cluster.RunAsync("flaky", Request("linear", maxRestarts: 2), TimeSpan.FromSeconds(60));
        Assert.Equal(TrainingPhase.Completed, recovered.Phase);
        Assert.Equal((8L, 1), (recovered.Step, recovered.Restarts));
        Assert.StartsWith("IOException: the store refused", recovered.Resumes[1].Cause);

        store.ManifestFailures = int.MaxValue;
        var failed = await cluster.RunAsync("refused", Request("linear", maxRestarts: 1), TimeSpan.FromSeconds(60));
        Assert.Equal(TrainingPhase.Failed, failed.Phase);
        Assert.StartsWith("IOException: the store refused", failed.Error);
        Assert.EndsWith("(after 1 restarts)", failed.Error);
        Assert.Equal(1, FreeDevices);
    }

    /// <summary>A trainer that cannot be made (a missing file, a device fault): not a refusal of the setup.</summary>
    private sealed class BrokenTrainer : IRankTrainerFactory
    {
        public const string Reason = "the trainer cannot be made here";

        public IRankTrainer Create(RankContext context) => throw new InvalidOperationException(Reason);
    }
}
