using System.CommandLine;

namespace Seaweed.Cli;

/// <summary>
/// <c>seaweed silo</c>: the silo host (<see cref="SeaweedHost"/>) in this process until stopped: the grains, the HTTP
/// API and the dashboard, configured like the host (<c>Seaweed:Cluster</c>, <c>Seaweed:Api</c>, …, from
/// appsettings.json beside the executable and the environment).
/// </summary>
internal static class SiloCommand
{
    public static Command Build()
    {
        var json = SeaweedCommand.JsonOption();
        var urls = new Option<string?>("--urls") { Description = "Where the HTTP API listens, e.g. http://127.0.0.1:8080 (default: http://localhost:5000)" };
        var command = new Command("silo", "Run the silo host (grains, HTTP API at /v1, OpenAPI at /openapi/v1.json, dashboard at /dashboard) until Ctrl+C")
        {
            json, urls,
        };
        command.SetAction((parse, cancellationToken) => Task.FromResult(SeaweedCommand.Run(parse, terminal =>
            RunAsync(terminal, parse.GetValue(urls), parse.GetValue(json), cancellationToken).GetAwaiter().GetResult())));
        return command;
    }

    private static async Task<int> RunAsync(Terminal terminal, string? urls, bool json, CancellationToken cancellationToken)
    {
        await using var app = SeaweedHost.Build(urls is null ? [] : ["--urls", urls]);
        await app.StartAsync(cancellationToken);
        var started = new SiloStarted(app.Urls.ToArray(), ClusterSettings.Load(app.Configuration).Mode);
        if (json) terminal.WriteJson(started);
        else terminal.Error.WriteLine($"seaweed: silo running ({started.Cluster}); API at {string.Join(", ", started.Urls)}; Ctrl+C stops it");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: stop the silo gracefully below.
        }
        await app.StopAsync(CancellationToken.None);
        return 0;
    }
}

internal sealed record SiloStarted(string[] Urls, string Cluster);
