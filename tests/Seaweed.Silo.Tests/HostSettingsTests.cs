using Microsoft.Extensions.Configuration;
using Seaweed.Data.Store;
using Seaweed.Model;

namespace Seaweed.Silo.Tests;

public sealed class HostSettingsTests
{
    private static readonly Dictionary<string, string?> Valid = new() { ["Seaweed:Api:Keys:0"] = TestSilo.Key };

    private static HostSettings Load(params (string Key, string? Value)[] overrides)
    {
        var values = new Dictionary<string, string?>(Valid);
        foreach (var (key, value) in overrides)
        {
            if (value is null) values.Remove(key); // null: the key is not set
            else values[key] = value;
        }
        return HostSettings.Load(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
    }

    [Fact]
    public void The_defaults_are_the_embedded_silo()
    {
        var settings = Load();
        Assert.False(settings.Cluster.IsAzure);
        Assert.Equal(ArtefactStoreOptions.LocalKind, settings.Silo.Artefacts.Kind);
        Assert.Equal([TestSilo.Key], settings.Api.Keys);
    }

    [Fact]
    public void An_azure_cluster_keeps_its_artefacts_in_the_accounts_blobs()
    {
        const string account = "UseDevelopmentStorage=true";
        var settings = Load(("Seaweed:Cluster:Mode", "azure"), ("Seaweed:Cluster:ConnectionString", account), ("Seaweed:Artefacts:Container", "videos"));
        Assert.True(settings.Cluster.IsAzure);
        Assert.Equal(ArtefactStoreOptions.AzureKind, settings.Silo.Artefacts.Kind);
        Assert.Equal(account, settings.Silo.Artefacts.ConnectionString);
        Assert.Equal("videos", settings.Silo.Artefacts.Container);
    }

    public static TheoryData<string, string?, string> Bad => new()
    {
        { "Seaweed:Cluster:Mode", "kubernetes", "Seaweed:Cluster:Mode" },
        { "Seaweed:Cluster:Mode", "azure", "Seaweed:Cluster:ConnectionString" },
        { "Seaweed:Cluster:SiloPort", "70000", "Seaweed:Cluster:SiloPort" },
        { "Seaweed:Cluster:SiloPort", "eleven", "Seaweed:Cluster" },
        { "Seaweed:Cluster:GatewayPort", "11111", "Seaweed:Cluster:GatewayPort" },
        { "Seaweed:Cluster:AdvertisedAddress", "here", "Seaweed:Cluster:AdvertisedAddress" },
        { "Seaweed:Cluster:ClusterId", " ", "Seaweed:Cluster:ClusterId" },
        { "Seaweed:Api:Keys:0", null, "Seaweed:Api:Keys" },
        { "Seaweed:Api:Keys:0", "short", "Seaweed:Api:Keys:0" },
        { "Seaweed:Api:RetryAfterSeconds", "0", "Seaweed:Api:RetryAfterSeconds" },
        { "Seaweed:Generation:QueueCapacity", "0", "Seaweed:Generation:QueueCapacity" },
        { "Seaweed:Generation:Limits:MaxSteps", "many", "Seaweed:Generation" },
        { "Seaweed:Devices:Count", "-1", "Seaweed:Devices:Count" },
        { "Seaweed:Devices:Kind", "tpu", "Seaweed:Devices" },
        { "Seaweed:Silo:Workers", "-2", "Seaweed:Silo:Workers" },
        { "Seaweed:Compute:Threads", "-1", "Seaweed:Compute:Threads" },
        { "Seaweed:Artefacts:Kind", "ftp", "Seaweed:Artefacts:Kind" },
    };

    [Theory]
    [MemberData(nameof(Bad))]
    public void Bad_configuration_names_the_key(string key, string? value, string field)
    {
        var e = Assert.Throws<ConfigException>(() => Load((key, value)));
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void An_azure_connection_string_that_does_not_parse_is_named()
    {
        var e = Assert.Throws<ConfigException>(() => Load(("Seaweed:Cluster:Mode", "azure"), ("Seaweed:Cluster:ConnectionString", "not a connection string")));
        Assert.Equal("Seaweed:Cluster:ConnectionString", e.Field);
    }
}

public sealed class ComputeSettingsTests
{
    private static ComputeSettings Load(params (string Key, string? Value)[] values) =>
        ComputeSettings.Load(new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, v.Value))).Build());

    [Fact]
    public void Freed_memory_is_retained_unless_switched_off()
    {
        Assert.True(Load().RetainFreedMemory);
        Assert.False(Load(("Seaweed:Compute:RetainFreedMemory", "false")).RetainFreedMemory);
    }

    [Fact]
    public void Glibc_accepts_the_heap_thresholds()
    {
        Assert.True(OperatingSystem.IsLinux(), "the silo's native prerequisites are Linux's");
        Assert.True(GlibcHeap.RetainFreedBlocks());
    }
}
