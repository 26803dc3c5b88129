using System.Net;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Dashboard;
using Seaweed.Data.Curation;
using Seaweed.Data.Store;
using Seaweed.Grains;
using Seaweed.Grains.Curation;
using Seaweed.Grains.Devices;
using Seaweed.Grains.Generation;
using Seaweed.Grains.Storage;
using Seaweed.Grains.Stories;
using Seaweed.Grains.Training;

namespace Seaweed.Silo;

/// <summary>
/// The Seaweed silo: the same grains in every mode, only the providers differ. Embedded (<c>localhost</c>):
/// localhost clustering, grain state in files, memory streams and reminders. <c>azure</c>: Azure Table clustering
/// and reminders, Azure Blob grain state, Azure Queue streams. Both: the artefact store, curation, the silo's
/// devices with the training recipe, generation, and the dashboard's data.
/// </summary>
public static class SeaweedSilo
{
    /// <summary>Stream subscriptions; Orleans looks this storage up by name.</summary>
    public const string PubSubStore = "PubSubStore";

    public static ISiloBuilder Configure(ISiloBuilder silo, HostSettings settings)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(settings);
        var cluster = settings.Cluster;
        if (cluster.IsAzure) UseAzure(silo, cluster);
        else UseLocalhost(silo, cluster, settings.Silo.StateDirectory);
        silo.Services.AddSingleton(ArtefactStoreFactory.Create(settings.Silo.Artefacts));
        return silo
            .AddCuration(new CurationOptions(), settings.Silo.WorkersPerSilo(1))
            .AddDevices(settings.Devices)
            .AddRankTrainer(TrainingRunRequest.RecipeTrainer, new RecipeTrainer())
            .AddGeneration(settings.Generation)
            .AddStories(new StoryOptions(), settings.Silo.WorkersPerSilo(1))
            .AddDashboard();
    }

    private static void UseLocalhost(ISiloBuilder silo, ClusterSettings cluster, string stateDirectory) => UseLocalProviders(silo
        .UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId), stateDirectory);

    /// <summary>The providers of a cluster on one machine: grain state in files under <paramref name="stateDirectory"/>,
    /// memory stream subscriptions, reminders and streams.</summary>
    public static ISiloBuilder UseLocalProviders(ISiloBuilder silo, string stateDirectory) => silo
        .AddFileGrainStorage(SeaweedStorage.Name, stateDirectory)
        .AddMemoryGrainStorage(PubSubStore)
        .UseInMemoryReminderService()
        .AddMemoryStreams(CurationStreams.Provider);

    private static void UseAzure(ISiloBuilder silo, ClusterSettings cluster)
    {
        string account = cluster.ConnectionString!;
        silo.Configure<ClusterOptions>(o => (o.ServiceId, o.ClusterId) = (cluster.ServiceId, cluster.ClusterId));
        if (cluster.Advertised is IPAddress address) silo.ConfigureEndpoints(address, cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: false);
        else silo.ConfigureEndpoints(cluster.SiloPort, cluster.GatewayPort);
        silo.UseAzureStorageClustering(o => o.TableServiceClient = new TableServiceClient(account))
            .UseAzureTableReminderService(o => o.TableServiceClient = new TableServiceClient(account))
            .AddAzureBlobGrainStorage(SeaweedStorage.Name, o => o.BlobServiceClient = new BlobServiceClient(account))
            .AddAzureBlobGrainStorage(PubSubStore, o => o.BlobServiceClient = new BlobServiceClient(account))
            .AddAzureQueueStreams(CurationStreams.Provider, c => c.ConfigureAzureQueue(ob => ob.Configure(o => o.QueueServiceClient = new QueueServiceClient(account))));
    }
}
