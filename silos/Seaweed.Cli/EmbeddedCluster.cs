using System.Net;
using Seaweed.Data.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Seaweed.Data.Curation;
using Seaweed.Data.Store;
using Seaweed.Grains.Curation;
using Seaweed.Silo;

namespace Seaweed.Cli;

/// <summary>
/// One or more silos in this process on loopback: localhost clustering on free ports (the first silo is the
/// primary), grain state in files under the data directory, memory streams and reminders, the given artefact store, and
/// <paramref name="workers"/> CPU workers per silo, and whatever <c>configure</c> adds to silo i. Grain calls go
/// through the first silo's client.
/// </summary>
internal sealed class EmbeddedCluster : IAsyncDisposable
{
    private readonly List<IHost> hosts = [];
    private readonly List<int> gateways = [];

    private EmbeddedCluster() { }

    public IGrainFactory Grains => hosts[0].Services.GetRequiredService<IGrainFactory>();

    /// <summary>What a client joins: service "seaweed", this cluster id, a gateway on each silo (<see cref="GatewayPorts"/>).</summary>
    public string ClusterId { get; private set; } = "";

    public IReadOnlyList<int> GatewayPorts => gateways;

    /// <summary>The silos' addresses, in start order.</summary>
    public IReadOnlyList<SiloAddress> Silos => hosts.Select(h => h.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress).ToArray();

    public static async Task<EmbeddedCluster> StartAsync(int silos, int workers, IArtefactStore store, CurationOptions options, string stateDirectory,
        Action<int, ISiloBuilder>? configure = null)
    {
        if (silos <= 0) throw new ArgumentOutOfRangeException(nameof(silos), silos, "must be positive");
        var cluster = new EmbeddedCluster();
        string clusterId = cluster.ClusterId = $"seaweed-{Guid.NewGuid():N}";
        IPEndPoint? primary = null;
        try
        {
            for (int i = 0; i < silos; i++)
            {
                int siloPort = LoopbackPort.Free(), gatewayPort = LoopbackPort.Free();
                cluster.gateways.Add(gatewayPort);
                primary ??= new IPEndPoint(IPAddress.Loopback, siloPort);
                // No default sources: configuration in the working directory must not reshape the embedded silos.
                var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
                // Only errors, on stderr: stdout carries results, and progress bars share stderr.
                builder.Logging.ClearProviders().AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Error);
                builder.Services.AddSingleton(store);
                int index = i;
                builder.UseOrleans(silo =>
                {
                    SeaweedSilo.UseLocalProviders(silo.UseLocalhostClustering(siloPort, gatewayPort, primary, serviceId: "seaweed", clusterId: clusterId), stateDirectory)
                        .AddCuration(options, workers);
                    configure?.Invoke(index, silo);
                });
                var host = builder.Build();
                cluster.hosts.Add(host);
                await host.StartAsync();
            }
            await cluster.WaitForMembers(silos);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Work starts only once the membership table lists every silo as active, so no grain is placed while
    /// the directory is still changing hands.</summary>
    private async Task WaitForMembers(int silos)
    {
        var management = Grains.GetGrain<IManagementGrain>(0);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await management.GetHosts(onlyActive: true)).Count < silos)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{silos} silos did not form a cluster within 30 s");
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        for (int i = hosts.Count - 1; i >= 0; i--)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try { await hosts[i].StopAsync(timeout.Token); }
            catch (Exception) { } // a silo that fails to stop cleanly must not keep the others running
            finally { hosts[i].Dispose(); }
        }
        hosts.Clear();
    }
}
