using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Seaweed.Data.Net;
using Seaweed.Data.Store;
using Seaweed.Data.World;
using Seaweed.Grains.Generation;
using Seaweed.Model;
using Seaweed.Parallel;
using Spectre.Console;

namespace Seaweed.Cli;

/// <summary>
/// <c>seaweed bench serve</c>: the HTTP API under load. One embedded silo host on loopback takes
/// <c>--requests</c> video requests at once; each is either accepted and followed (server-sent events) until it
/// finishes, or refused with 429 by the silo's bounded queue. Nothing may be lost: every accepted job must end
/// succeeded with its video stored, and a refused one must leave nothing in the store. The baseline is one request
/// alone on the same silo, measured first in the same run after a warm-up request (which loads the model).
/// </summary>
internal static class BenchServe
{
    public static Command Build()
    {
        var json = SeaweedCommand.JsonOption();
        var requests = new Option<int>("--requests") { Description = "Requests sent at once", DefaultValueFactory = _ => 100 };
        var queue = new Option<int>("--queue") { Description = "The silo's generation queue (jobs held at once)", DefaultValueFactory = _ => 8 };
        var steps = new Option<int>("--steps") { Description = "Denoising steps per video", DefaultValueFactory = _ => 2 };
        var model = new Option<string?>("--model") { Description = "Model directory (default: a randomly initialised tiny model; the figures are the service's, not the model's)" };
        var command = new Command("serve", "Concurrent video requests against one embedded silo: completed, rejected (429), lost, p50/p95 latency")
        {
            json, requests, queue, steps, model,
        };
        command.SetAction(parse => SeaweedCommand.Run(parse, terminal =>
        {
            var options = new Options(OptionValue.Positive("--requests", parse.GetValue(requests)), OptionValue.Positive("--queue", parse.GetValue(queue)),
                OptionValue.Positive("--steps", parse.GetValue(steps)), parse.GetValue(model));
            if (options.Model is { } dir && !File.Exists(Path.Combine(dir, SeaweedModel.ConfigFile)))
                throw new ConfigException("--model", $"no model at {Path.GetFullPath(dir)} ({SeaweedModel.ConfigFile} is missing)");
            return RunAsync(terminal, options, parse.GetValue(json)).GetAwaiter().GetResult();
        }));
        return command;
    }

    private sealed record Options(int Requests, int Queue, int Steps, string? Model);

    /// <summary>How one request ended and how long it took, from the POST to its last event (or its refusal).</summary>
    private sealed record Outcome(string Id, HttpStatusCode Answer, string? Phase, double Seconds);

    private static async Task<int> RunAsync(Terminal terminal, Options o, bool json)
    {
        string root = Directory.CreateTempSubdirectory("seaweed-bench-serve-").FullName;
        try
        {
            string model = o.Model ?? RandomTinyModel(Path.Combine(root, "model"));
            string key = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            await using var app = SeaweedHost.Build([], c => c.AddInMemoryCollection(Settings(root, model, key, o.Queue)));
            await app.StartAsync();
            using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromMinutes(30) };
            client.DefaultRequestHeaders.Add("X-Api-Key", key);

            var report = await terminal.WithProgressAsync("bench serve", o.Requests + 1, async bar =>
            {
                await Request(client, "warm-up", o.Steps);
                var single = await Request(client, "single", o.Steps);
                if (single.Phase != "succeeded") throw new InvalidOperationException($"the baseline request ended {single.Answer} {single.Phase}");
                bar.Update(1, o.Requests + 1, "concurrent requests");
                int done = 0;
                var watch = Stopwatch.StartNew();
                var outcomes = await Task.WhenAll(Enumerable.Range(0, o.Requests).Select(async i =>
                {
                    var outcome = await Request(client, $"load-{i}", o.Steps);
                    bar.Update(1 + Interlocked.Increment(ref done), o.Requests + 1, "concurrent requests");
                    return outcome;
                }));
                double wall = watch.Elapsed.TotalSeconds;
                return await Report(client, app, o, model, single, outcomes, wall);
            });
            await app.StopAsync();
            if (json) terminal.WriteJson(report);
            else Print(terminal.Console, report);
            return report.Lost == 0 && report.Other == 0 ? 0 : 1;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static Dictionary<string, string?> Settings(string root, string model, string key, int queue) => new()
    {
        ["Urls"] = "http://127.0.0.1:0",
        ["Logging:LogLevel:Default"] = "Error",
        ["Seaweed:Cluster:Mode"] = "localhost",
        ["Seaweed:Cluster:SiloPort"] = LoopbackPort.Free().ToString(),
        ["Seaweed:Cluster:GatewayPort"] = LoopbackPort.Free().ToString(),
        ["Seaweed:Cluster:ClusterId"] = $"bench-{Guid.NewGuid():N}",
        ["Seaweed:Silo:StateDirectory"] = Path.Combine(root, "grains"),
        ["Seaweed:Artefacts:Kind"] = "local",
        ["Seaweed:Artefacts:Path"] = Path.Combine(root, "artefacts"),
        ["Seaweed:Api:Keys:0"] = key,
        ["Seaweed:Generation:DefaultModel"] = model,
        ["Seaweed:Generation:QueueCapacity"] = queue.ToString(),
    };

    /// <summary>Posts one video at the model's native size and follows its events until it finishes.</summary>
    private static async Task<Outcome> Request(HttpClient client, string id, int steps)
    {
        var watch = Stopwatch.StartNew();
        using var response = await client.PostAsJsonAsync("/v1/videos", new { prompt = "a red circle moves left", steps, jobId = id });
        if (response.StatusCode != HttpStatusCode.Accepted) return new Outcome(id, response.StatusCode, null, watch.Elapsed.TotalSeconds);
        string? phase = null;
        using var events = await client.GetAsync($"/v1/videos/{id}/events", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await events.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync() is { } line)
            if (line.StartsWith("data: ", StringComparison.Ordinal))
                phase = (string?)JsonNode.Parse(line["data: ".Length..])?["phase"];
        return new Outcome(id, response.StatusCode, phase, watch.Elapsed.TotalSeconds);
    }

    /// <summary>The counts and latencies, and the losses: an accepted job not succeeded with its video in the store
    /// (asked again, after the load), or a refused one that left anything stored.</summary>
    private static async Task<ServeReport> Report(HttpClient client, WebApplication app, Options o, string model, Outcome single, Outcome[] outcomes, double wall)
    {
        var store = ArtefactStoreFactory.Create(SiloSettings.Load(app.Configuration).Artefacts);
        var accepted = outcomes.Where(x => x.Answer == HttpStatusCode.Accepted).ToArray();
        var rejected = outcomes.Where(x => x.Answer == HttpStatusCode.TooManyRequests).ToArray();
        int lost = 0;
        foreach (var job in accepted)
        {
            var status = await client.GetFromJsonAsync<JsonObject>($"/v1/videos/{job.Id}");
            // The video its status names, as a client gets it.
            using var content = await client.GetAsync($"/v1/videos/{job.Id}/content");
            bool stored = content.IsSuccessStatusCode && (await content.Content.ReadAsByteArrayAsync()).Length > 0;
            if ((string?)status?["phase"] != "succeeded" || !stored) lost++;
        }
        foreach (var job in rejected)
            if ((await store.ListAsync(GenerationArtefacts.Prefix(job.Id))).Count > 0) lost++;
        var completed = accepted.Where(x => x.Phase == "succeeded").Select(x => x.Seconds).ToArray();
        var config = SeaweedConfig.FromJson(await File.ReadAllTextAsync(Path.Combine(model, SeaweedModel.ConfigFile)));
        return new ServeReport(
            o.Requests, o.Queue, o.Steps, $"{config.Video.Frames}x{config.Video.Width}x{config.Video.Height}",
            accepted.Length, completed.Length, rejected.Length, accepted.Count(x => x.Phase is "failed" or "cancelled"), lost,
            outcomes.Length - accepted.Length - rejected.Length,
            Round(single.Seconds), Latency.Of(completed), Latency.Of(rejected.Select(x => x.Seconds).ToArray()),
            completed.Length > 0 ? Round(Median.Of(completed) / single.Seconds) : null, Round(wall));
    }

    /// <summary>A randomly initialised model of the tiny preset, with a tokenizer over the world's words: enough to
    /// measure the service, whose costs do not depend on what the weights are.</summary>
    private static string RandomTinyModel(string directory)
    {
        var config = Presets.Tiny;
        var words = Vocabulary.Colours.Select(CaptionGrammar.Name).Concat(Vocabulary.Shapes.Select(CaptionGrammar.Name)).Append("a circle moves left right up down");
        using var model = new SeaweedModel(config, Tokenizer.Build(words, config.Text));
        model.Save(directory);
        return directory;
    }

    private static double Round(double seconds) => Math.Round(seconds, 3);

    private static void Print(IAnsiConsole console, ServeReport r)
    {
        var table = new Table().AddColumns("requests", "accepted", "completed", "rejected (429)", "failed", "lost", "p50 s", "p95 s", "alone s");
        table.AddRow($"{r.Requests}", $"{r.Accepted}", $"{r.Completed}", $"{r.Rejected}", $"{r.Failed}", $"{r.Lost}",
            $"{r.Latency?.P50:F3}", $"{r.Latency?.P95:F3}", $"{r.SingleSeconds:F3}");
        console.Write(table);
        console.MarkupLine($"queue {r.Queue}, {r.Steps} steps at {r.Video}; {r.WallSeconds:F1} s for the concurrent requests");
    }
}

/// <param name="P50OverSingle">Median latency of a completed request under load over the same request alone.</param>
internal sealed record ServeReport(
    int Requests, int Queue, int Steps, string Video, int Accepted, int Completed, int Rejected, int Failed, int Lost, int Other,
    double SingleSeconds, Latency? Latency, Latency? RejectLatency, double? P50OverSingle, double WallSeconds);

/// <summary>Median and 95th percentile (nearest rank) of latencies in seconds; null when there are none.</summary>
internal sealed record Latency(double P50, double P95)
{
    public static Latency? Of(double[] seconds)
    {
        if (seconds.Length == 0) return null;
        var sorted = seconds.Order().ToArray();
        double p95 = sorted[Math.Max(0, (int)Math.Ceiling(0.95 * sorted.Length) - 1)];
        return new Latency(Math.Round(Median.Of(sorted), 3), Math.Round(p95, 3));
    }
}
