using System.Net;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Seaweed.Silo.Tests.Fakes;
using Seaweed.Testing;

namespace Seaweed.Silo.Tests;

/// <summary>Cluster mode against a private Azurite: the same host, configured for Azure Storage only.</summary>
public sealed class AzureClusterTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task A_silo_joins_an_azure_table_cluster_keeps_state_and_artefacts_in_blobs_and_serves_a_job()
    {
        string clusterId = $"azure-{Guid.NewGuid():N}";
        await using var silo = await TestSilo.StartAsync(fakes: true, new Dictionary<string, string?>
        {
            ["Seaweed:Cluster:Mode"] = "azure",
            ["Seaweed:Cluster:ConnectionString"] = azurite.ConnectionString,
            ["Seaweed:Cluster:ClusterId"] = clusterId,
            ["Seaweed:Cluster:AdvertisedAddress"] = "127.0.0.1",
            ["Seaweed:Artefacts:Container"] = "cluster-artefacts",
        });

        using var response = await silo.Client.PostAsync("/v1/videos", Json.Body(new { prompt = "a red ball", steps = 2, jobId = "azure-job" }));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var events = await Sse.ReadAll(silo.Client, "/v1/videos/azure-job/events", TimeSpan.FromSeconds(30));
        Assert.Equal("succeeded", Sse.Phase(events[^1].Data));
        using var content = await silo.Client.GetAsync("/v1/videos/azure-job/content");
        Assert.Equal(FakeGenerationGrain.Video, await content.Content.ReadAsByteArrayAsync());

        // Membership is a table row of this cluster; the job's state and its video are blobs; nothing went to disk.
        var members = new TableServiceClient(azurite.ConnectionString).GetTableClient("OrleansSiloInstances");
        Assert.Contains(members.Query<TableEntity>(), row => row.PartitionKey == clusterId && row.GetString("Status") == "Active");
        var blobs = new BlobServiceClient(azurite.ConnectionString);
        Assert.Contains(blobs.GetBlobContainerClient("grainstate").GetBlobs(), b => b.Name.Contains("azure-job", StringComparison.Ordinal));
        Assert.Contains(blobs.GetBlobContainerClient("cluster-artefacts").GetBlobs(), b => b.Name == "videos/azure-job.gif");
        Assert.Empty(silo.StoredFiles());
    }
}
