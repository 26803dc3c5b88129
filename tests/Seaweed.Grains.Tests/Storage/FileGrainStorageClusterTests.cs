using Orleans.TestingHost;
using Seaweed.Grains.Storage;

namespace Seaweed.Grains.Tests.Storage;

public sealed class FileGrainStorageClusterTests : IAsyncLifetime
{
    public const string StorageName = "files";

    private readonly string _root = Directory.CreateTempSubdirectory("seaweed-grainstate-").FullName;
    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo.AddFileGrainStorage(StorageName, _root));
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task State_survives_deactivation_and_a_silo_restart()
    {
        var counter = _cluster.Client.GetGrain<ICounterGrain>("run-7");
        await counter.Increment();
        await counter.Increment();
        Assert.Equal(3, await counter.Increment());

        await counter.Deactivate();
        Assert.Equal(3, await counter.Get());

        await _cluster.RestartSiloAsync(_cluster.Silos[0]);
        Assert.Equal(4, await AfterReconnect(() => _cluster.Client.GetGrain<ICounterGrain>("run-7").Increment()));

        Assert.Single(Directory.EnumerateFiles(Path.Combine(_root, "counter"), "*.json"));
    }

    /// <summary>The client needs a moment to find the restarted silo's gateway; a call that fails only because it is
    /// still connecting is repeated (it never reached a grain, so nothing is counted twice).</summary>
    private static async Task<T> AfterReconnect<T>(Func<Task<T>> call)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try { return await call(); }
            catch (Exception e) when (e is Orleans.Runtime.Messaging.ConnectionFailedException or SiloUnavailableException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
        }
    }
}
