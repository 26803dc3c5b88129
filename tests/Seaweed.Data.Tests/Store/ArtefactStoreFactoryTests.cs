using Seaweed.Data.Store;
using Seaweed.Model;

namespace Seaweed.Data.Tests.Store;

public sealed class ArtefactStoreFactoryTests
{
    private const string Emulator =
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;";

    [Fact]
    public void Defaults_are_a_local_store_under_the_current_directory()
    {
        var options = new ArtefactStoreOptions();
        options.Validate();

        Assert.Equal("local", options.Kind);
        Assert.Equal(Path.Combine(".seaweed", "artefacts"), options.Path);
        Assert.Equal("seaweed", options.Container);
    }

    [Fact]
    public void Local_kind_builds_a_local_store_at_the_path()
    {
        var root = Path.Combine(Path.GetTempPath(), $"seaweed-factory-{Guid.NewGuid():N}");
        try
        {
            var store = Assert.IsType<LocalArtefactStore>(ArtefactStoreFactory.Create(new ArtefactStoreOptions { Path = root }));
            Assert.Equal(root, store.Location);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Azure_kind_builds_a_blob_store_for_the_container()
    {
        var store = ArtefactStoreFactory.Create(new ArtefactStoreOptions { Kind = "Azure", ConnectionString = Emulator, Container = "clips" });

        Assert.IsType<BlobArtefactStore>(store);
        Assert.Equal("http://127.0.0.1:1/devstoreaccount1/clips", store.Location);
    }

    [Theory]
    [InlineData("s3", null, "seaweed", "Seaweed:Artefacts:Kind: 's3' is not a store kind; use 'local' or 'azure'")]
    [InlineData("azure", null, "seaweed", "Seaweed:Artefacts:ConnectionString: required when Kind is azure")]
    [InlineData("azure", " ", "seaweed", "Seaweed:Artefacts:ConnectionString: required when Kind is azure")]
    [InlineData("azure", "not a connection string", "seaweed", "Seaweed:Artefacts:ConnectionString: not an Azure Storage connection string")]
    [InlineData("azure", Emulator, "Bad_Name", "Seaweed:Artefacts:Container: 'Bad_Name' is not a blob container name")]
    public void Invalid_options_name_the_field(string kind, string? connectionString, string container, string expected)
    {
        var options = new ArtefactStoreOptions { Kind = kind, ConnectionString = connectionString, Container = container };

        var e = Assert.ThrowsAny<ConfigException>(() => ArtefactStoreFactory.Create(options));

        Assert.StartsWith(expected, e.Message);
    }

    [Fact]
    public void An_empty_local_path_names_the_field()
    {
        var e = Assert.Throws<ConfigException>(() => new ArtefactStoreOptions { Path = "" }.Validate());
        Assert.Equal("Seaweed:Artefacts:Path: required when Kind is local", e.Message);
    }
}
