using System.Net;
using System.Net.Sockets;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Seaweed.Data.Curation;
using Seaweed.Data.Store;
using Seaweed.Grains.Generation;
using Seaweed.Model;

namespace Seaweed.Cli;

/// <summary>
/// Where <c>seaweed generate</c> runs its job: an embedded silo in this process (the default), or the running cluster
/// that <c>Seaweed:Cluster</c> describes, joined as an Orleans client (<c>--cluster</c>): its localhost gateway, or
/// the silos an Azure Table lists. Either way the verb then does the same: the same grains, the cluster's artefact store.
/// </summary>
internal sealed class GenerateTarget : IAsyncDisposable
{
    private readonly IAsyncDisposable owner;

    private GenerateTarget(IAsyncDisposable owner, IGrainFactory grains, IArtefactStore store, string description) =>
        (this.owner, Grains, Store, Description) = (owner, grains, store, description);

    public IGrainFactory Grains { get; }
    public IArtefactStore Store { get; }

    /// <summary>"embedded silo", or the cluster and how it was reached.</summary>
    public string Description { get; }

    public static async Task<GenerateTarget> EmbeddedAsync(SiloSettings settings, GenerationOptions options)
    {
        var store = ArtefactStoreFactory.Create(settings.Artefacts);
        var cluster = await EmbeddedCluster.StartAsync(1, settings.WorkersPerSilo(1), store, new CurationOptions(), settings.StateDirectory,
            (_, silo) => silo.AddGeneration(options));
        return new GenerateTarget(cluster, cluster.Grains, store, "embedded silo");
    }

    /// <summary>Connects to the cluster; none answering is a <see cref="ConfigException"/> naming <c>Seaweed:Cluster</c>.</summary>
    public static async Task<GenerateTarget> ClientAsync(IConfiguration configuration)
    {
        var cluster = ClusterSettings.Load(configuration);
        var silo = SiloSettings.Load(configuration);
        // The artefacts the silos keep: an azure cluster's are in its account's blobs unless configured otherwise.
        var artefacts = cluster.IsAzure
            ? new ArtefactStoreOptions { Kind = ArtefactStoreOptions.AzureKind, ConnectionString = silo.Artefacts.ConnectionString ?? cluster.ConnectionString, Container = silo.Artefacts.Container }
            : silo.Artefacts;
        artefacts.Validate();
        string where = cluster.IsAzure ? $"cluster {cluster.ClusterId} (Azure Table membership)" : $"cluster {cluster.ClusterId} (gateway localhost:{cluster.GatewayPort})";

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders().AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Critical);
        builder.UseOrleansClient(client =>
        {
            if (cluster.IsAzure)
                client.UseAzureStorageClustering(o => o.TableServiceClient = new TableServiceClient(cluster.ConnectionString))
                    .Configure<ClusterOptions>(o => (o.ServiceId, o.ClusterId) = (cluster.ServiceId, cluster.ClusterId));
            else
                client.UseLocalhostClustering(cluster.GatewayPort, cluster.ServiceId, cluster.ClusterId);
        });
        var host = builder.Build();
        try
        {
            // A refused gateway port fails at once; the client itself would keep trying it for minutes.
            if (!cluster.IsAzure) await ProbeAsync(cluster.GatewayPort);
            using var timeout = new CancellationTokenSource(ConnectTimeout);
            await host.StartAsync(timeout.Token);
        }
        catch (Exception e)
        {
            host.Dispose();
            string reason = e is OperationCanceledException ? $"none within {ConnectTimeout.TotalSeconds} s" : e.Message;
            throw new ConfigException(ClusterSettings.Section, $"no silo of {where} answered: {reason}");
        }
        return new GenerateTarget(new StoppingHost(host), host.Services.GetRequiredService<IClusterClient>(), ArtefactStoreFactory.Create(artefacts), where);
    }

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    private static async Task ProbeAsync(int port)
    {
        using var socket = new TcpClient();
        using var timeout = new CancellationTokenSource(ConnectTimeout);
        await socket.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
    }

    public ValueTask DisposeAsync() => owner.DisposeAsync();

    private sealed class StoppingHost(IHost host) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try { await host.StopAsync(timeout.Token); }
            finally { host.Dispose(); }
        }
    }
}
