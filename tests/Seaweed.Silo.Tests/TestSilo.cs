using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Seaweed.Data.Net;
using Seaweed.Grains.Generation;
using Seaweed.Silo.Api;
using Seaweed.Silo.Tests.Fakes;
using Seaweed.Tests.Shared;

namespace Seaweed.Silo.Tests;

/// <summary>
/// A real silo host (<see cref="SeaweedHost"/>) on a free loopback port: Kestrel, the HTTP API and an embedded
/// silo on free ports, grain state and artefacts in a fresh directory, the tiny test model as the default model.
/// Jobs run on the real generation grain, or with <c>fakes</c> on <see cref="FakeGenerationGrain"/>, which needs no
/// model. <see cref="Client"/> sends the API key, <see cref="Anonymous"/> none.
/// </summary>
public sealed class TestSilo : IAsyncDisposable
{
    public const string Key = "test-key-0123456789abcdef";

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
    public static async Task<TestSilo> StartAsync(bool fakes, IReadOnlyDictionary<string, string?>? settings = null)
    {
        string root = Directory.CreateTempSubdirectory("seaweed-silo-").FullName;
        string model = TinyModel.Save(Path.Combine(root, "model"));
        var configuration = new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Seaweed:Cluster:SiloPort"] = LoopbackPort.Free().ToString(),
            ["Seaweed:Cluster:GatewayPort"] = LoopbackPort.Free().ToString(),
            ["Seaweed:Cluster:ClusterId"] = $"test-{Guid.NewGuid():N}",
            ["Seaweed:Silo:StateDirectory"] = Path.Combine(root, "grains"),
            ["Seaweed:Silo:Workers"] = "1",
            ["Seaweed:Artefacts:Kind"] = "local",
            ["Seaweed:Artefacts:Path"] = Path.Combine(root, "artefacts"),
            ["Seaweed:Api:Keys:0"] = Key,
            ["Seaweed:Generation:DefaultModel"] = model,
            ["Seaweed:Generation:Limits:MaxSteps"] = "50",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) configuration[key] = value;
        // Each interface keeps one implementation: the fake or the real one.
        Type[] leftOut = fakes ? [typeof(GenerationGrain)] : [typeof(FakeGenerationGrain)];
        var app = SeaweedHost.Build([], c => c.AddInMemoryCollection(configuration),
            silo => silo.Configure<GrainTypeOptions>(o => o.Classes.ExceptWith(leftOut)));
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

    /// <summary>Every file under the state and artefact directories, relative to <see cref="Root"/>, with a hash of
    /// its content: equal snapshots mean nothing was written, changed or removed. A write still in flight (its
    /// temporary file, open while other tests' grains write) is not stored yet and is left out.</summary>
    public string[] StoredFiles() => new[] { StateDirectory, ArtefactDirectory }
        .Where(Directory.Exists)
        .SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories))
        .Where(f => !f.EndsWith(".tmp", StringComparison.Ordinal))
        .Select(f => $"{Path.GetRelativePath(Root, f)} {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f)))[..16]}")
        .Order(StringComparer.Ordinal)
        .ToArray();

    public static AuthenticationHeaderValue Bearer(string key) => new("Bearer", key);

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

/// <summary>One host for a test class, its jobs on <see cref="FakeGenerationGrain"/>.</summary>
public sealed class SiloFixture : IAsyncLifetime
{
    public TestSilo Silo { get; private set; } = null!;

    public async Task InitializeAsync() => Silo = await TestSilo.StartAsync(fakes: true);

    public async Task DisposeAsync() => await Silo.DisposeAsync();
}
