using Azure.Storage.Blobs;
using Seaweed.Data.Store;
using Seaweed.Testing;

namespace Seaweed.Data.Tests.Store;

/// <summary>The contract against a real Azurite; every test gets a fresh container so tests cannot see each other.</summary>
public sealed class BlobArtefactStoreTests(AzuriteFixture azurite) : ArtefactStoreContract, IClassFixture<AzuriteFixture>
{
    private readonly BlobContainerClient _container =
        new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient($"t{Guid.NewGuid():N}");

    protected override IArtefactStore Store => field ??= new BlobArtefactStore(_container);

    [Fact]
    public async Task The_container_is_created_on_first_use()
    {
        Assert.False((await _container.ExistsAsync()).Value);

        await Store.WriteAsync("x", new MemoryStream([1, 2, 3]), ArtefactWriteMode.CreateNew);

        Assert.True((await _container.ExistsAsync()).Value);
        Assert.Equal($"{_container.Uri}/x", Store.Describe("x"));
    }
}
