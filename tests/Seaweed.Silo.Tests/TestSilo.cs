using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Seaweed.Model;
using Seaweed.Silo.Api;

namespace Seaweed.Silo.Tests;

/// <summary>
/// A real silo host (<see cref="SeaweedHost"/>) on a free loopback port: Kestrel, the HTTP API and an embedded
/// silo on free ports, grain state and artefacts in a fresh directory, requests checked against a tiny model's
/// config. <see cref="Client"/> sends the API key, <see cref="Anonymous"/> none.
/// </summary>
public sealed class TestSilo : IAsyncDisposable
{
    public const string Key = "test-key-0123456789abcdef";

    /// <summary>The model requests are checked against: 1 + 4k frames, sides multiples of 16.</summary>
    public static readonly SeaweedConfig Model = new SeaweedConfig
    {
        Name = "test-tiny",
        Video = new VideoSize(5, 32, 32),
        Vae = new VaeConfig { Channels = [8, 16, 16, 16], NormGroups = 4 },
        Dit = new DitConfig { Hidden = 48, Layers = 3, DualStreamLayers = 1, Heads = 2, MlpMultiple = 16 },
        Text = new TextEncoderConfig { VocabSize = 96, UnknownBuckets = 8, MaxTokens = 8, Hidden = 32, Layers = 1, Heads = 2, MlpMultiple = 16 },
        Flow = new FlowConfig { SamplingSteps = 2 },
    }.Validate();

    private readonly WebApplication app;

    private TestSilo(WebApplication app, string root, Uri address)
    {
        this.app = app;
        Root = root;
        Client = new HttpClient { BaseAddress = address };
        Client.DefaultRequestHeaders.Add(ApiKeyAuthentication.Header, Key);
        Anonymous = new HttpClient { BaseAddress = address };
    }

    public string Root { get; }
    public string StateDirectory => Path.Combine(Root, "grains");
    public string ArtefactDirectory => Path.Combine(Root, "artefacts");
    public HttpClient Client { get; }
    public HttpClient Anonymous { get; }
    public IServiceProvider Services => app.Services;

    /// <summary>Starts a host; <paramref name="settings"/> override the test defaults (cluster mode, limits).</summary>
    public static async Task<TestSilo> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, Action<ISiloBuilder>? configureSilo = null,
        string? modelDirectory = null)
    {
        string root = Directory.CreateTempSubdirectory("seaweed-silo-").FullName;
        if (modelDirectory is null)
        {
            modelDirectory = Directory.CreateDirectory(Path.Combine(root, "model")).FullName;
            File.WriteAllText(Path.Combine(modelDirectory, SeaweedModel.ConfigFile), Model.ToJson());
        }
        var configuration = new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Seaweed:Cluster:SiloPort"] = FreePort().ToString(),
            ["Seaweed:Cluster:GatewayPort"] = FreePort().ToString(),
            ["Seaweed:Cluster:ClusterId"] = $"test-{Guid.NewGuid():N}",
            ["Seaweed:Silo:StateDirectory"] = Path.Combine(root, "grains"),
            ["Seaweed:Silo:Workers"] = "1",
            ["Seaweed:Artefacts:Kind"] = "local",
            ["Seaweed:Artefacts:Path"] = Path.Combine(root, "artefacts"),
            ["Seaweed:Api:Keys:0"] = Key,
            ["Seaweed:Api:Model"] = modelDirectory,
            ["Seaweed:Api:MaxSteps"] = "50",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) configuration[key] = value;
        var app = SeaweedHost.Build([], c => c.AddInMemoryCollection(configuration), configureSilo);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            Directory.Delete(root, recursive: true);
            throw;
        }
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new TestSilo(app, root, new Uri(address));
    }

    /// <summary>Every file under the state and artefact directories, relative to <see cref="Root"/>.</summary>
    public string[] StoredFiles() => new[] { StateDirectory, ArtefactDirectory }
        .Where(Directory.Exists)
        .SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories))
        .Select(f => Path.GetRelativePath(Root, f))
        .Order(StringComparer.Ordinal)
        .ToArray();

    public static AuthenticationHeaderValue Bearer(string key) => new("Bearer", key);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Anonymous.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await app.StopAsync(timeout.Token);
        }
        finally
        {
            await app.DisposeAsync();
            Directory.Delete(Root, recursive: true);
        }
    }
}

/// <summary>One host for a test class.</summary>
public sealed class SiloFixture : IAsyncLifetime
{
    public TestSilo Silo { get; private set; } = null!;

    public async Task InitializeAsync() => Silo = await TestSilo.StartAsync();

    public async Task DisposeAsync() => await Silo.DisposeAsync();
}
