using System.CommandLine;
using System.Net;
using System.Text.Json;
using Seaweed.Data.Net;

namespace Seaweed.Cli.Tests;

[Collection(Cli.Environment)]
public sealed class SiloCommandTests : IDisposable
{
    private readonly SiloState state = new();
    private readonly Dictionary<string, string?> environment = new()
    {
        ["Seaweed__Artefacts__Path"] = null,
        ["Seaweed__Cluster__SiloPort"] = LoopbackPort.Free().ToString(),
        ["Seaweed__Cluster__GatewayPort"] = LoopbackPort.Free().ToString(),
        ["Seaweed__Cluster__ClusterId"] = $"cli-{Guid.NewGuid():N}",
    };

    public SiloCommandTests()
    {
        environment["Seaweed__Artefacts__Path"] = Path.Combine(state.Root, "artefacts");
        foreach (var (name, value) in environment) Environment.SetEnvironmentVariable(name, value);
    }

    public void Dispose()
    {
        foreach (var name in environment.Keys.Append(KeyVariable)) Environment.SetEnvironmentVariable(name, null);
        state.Dispose();
    }

    private const string KeyVariable = "Seaweed__Api__Keys__0";

    [Fact]
    public void Without_an_api_key_the_silo_does_not_start_and_names_the_setting()
    {
        SiloState.AssertBadInput(Cli.Seaweed("silo"), "Seaweed:Api:Keys");
    }

    [Fact]
    public void A_bad_cluster_mode_is_named()
    {
        Environment.SetEnvironmentVariable(KeyVariable, "cli-test-key-0123456789");
        Environment.SetEnvironmentVariable("Seaweed__Cluster__Mode", "mesh");
        try
        {
            SiloState.AssertBadInput(Cli.Seaweed("silo"), "Seaweed:Cluster:Mode");
        }
        finally
        {
            Environment.SetEnvironmentVariable("Seaweed__Cluster__Mode", null);
        }
    }

    [Fact]
    public async Task The_silo_serves_the_api_until_cancelled()
    {
        const string key = "cli-test-key-0123456789";
        Environment.SetEnvironmentVariable(KeyVariable, key);
        string url = $"http://127.0.0.1:{LoopbackPort.Free()}";
        var output = new StringWriter();
        var error = new StringWriter();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        // The verb blocks its caller until cancelled, as on a terminal.
        var run = Task.Run(() => SeaweedCommand.Build().Parse(["silo", "--urls", url, "--json"]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, stop.Token));

        using var client = new HttpClient { BaseAddress = new Uri(url) };
        HttpStatusCode? document = null;
        while (document is null && !run.IsCompleted)
        {
            try
            {
                document = (await client.GetAsync("/openapi/v1.json", stop.Token)).StatusCode;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100, stop.Token);
            }
        }
        Assert.True(document is not null, $"the silo stopped before it served: {error}");
        Assert.Equal(HttpStatusCode.OK, document);
        using var anonymous = await client.GetAsync("/v1/videos/never-submitted");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var dashboard = new HttpRequestMessage(HttpMethod.Get, "/dashboard/") { Headers = { { "X-Api-Key", key } } };
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(dashboard, stop.Token)).StatusCode);

        stop.Cancel();
        Assert.Equal(0, await run);
        using var started = JsonDocument.Parse(output.ToString());
        Assert.Equal(url, started.RootElement.GetProperty("urls")[0].GetString());
        Assert.Equal("localhost", started.RootElement.GetProperty("cluster").GetString());
    }
}
