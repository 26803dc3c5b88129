using System.CommandLine;
using System.Diagnostics;
using Seaweed.Data.Curation;
using Seaweed.Data.Dataset;
using Seaweed.Data.Store;
using Seaweed.Data.Video;
using Seaweed.Grains.Curation;
using Seaweed.Model;
using Spectre.Console;

namespace Seaweed.Cli;

/// <summary>
/// <c>seaweed curate</c>: raw videos → curated dataset, through the curation grains on one or more embedded silos.
/// With <c>--silos 1,2</c> the same input is curated once per silo count: the throughputs are measured side by side
/// and every run must produce the same dataset. Inputs with ground truth also get the accuracy figures.
/// </summary>
internal static class CurateCommand
{
    public static Command Build()
    {
        var json = SeaweedCommand.JsonOption();
        var synthetic = new Option<int?>("--synthetic") { Description = "Curate N synthetic raw footage videos (with ground truth)" };
        var input = new Option<string?>("--input") { Description = "Curate the video files of a directory (NAME.truth.json sidecars are scored)" };
        var output = new Option<string>("--out") { Description = "Dataset name in the artefact store", Required = true };
        var silos = new Option<string>("--silos") { Description = "Silo counts to run, comma-separated (e.g. 1,2)", DefaultValueFactory = _ => "1" };
        var window = new Option<int>("--window") { Description = "Videos in flight at once (back-pressure)", DefaultValueFactory = _ => 4 };
        var seed = new Option<long>("--seed") { Description = "Seed of the synthetic footage and of sampling", DefaultValueFactory = _ => 1 };
        var store = new Option<string?>("--store") { Description = "Artefact store directory (default: Seaweed:Artefacts in appsettings.json)" };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace an existing dataset of that name with different content" };
        var probeClips = new Option<int>("--probe-clips") { Description = "World clips the probe is scored on (with --synthetic)", DefaultValueFactory = _ => 300 };
        var command = new Command("curate", "Curate raw videos into a training dataset: shots, crops, quality, dedup, captions, buckets, packing")
        {
            json, synthetic, input, output, silos, window, seed, store, overwrite, probeClips,
        };
        command.SetAction(parse => SeaweedCommand.Run(parse, terminal =>
        {
            var options = new CurateOptions(
                parse.GetValue(synthetic), parse.GetValue(input), parse.GetValue(output)!, SiloCounts(parse.GetValue(silos)!),
                OptionValue.Positive("--window", parse.GetValue(window)), parse.GetValue(seed), parse.GetValue(store), parse.GetValue(overwrite),
                NonNegative("--probe-clips", parse.GetValue(probeClips)));
            return RunAsync(terminal, options, parse.GetValue(json)).GetAwaiter().GetResult();
        }));
        return command;
    }

    private sealed record CurateOptions(int? Synthetic, string? Input, string Dataset, int[] Silos, int Window, long Seed, string? Store, bool Overwrite, int ProbeClips);

    private static async Task<int> RunAsync(Terminal terminal, CurateOptions o, bool json)
    {
        if (o.Synthetic is null == o.Input is null) throw new ArgumentException("--synthetic/--input: give exactly one of them", "--synthetic");
        DatasetWriter.ValidateName(o.Dataset, "--out");
        var settings = SiloSettings.Load();
        var storeOptions = o.Store is null ? settings.Artefacts : new ArtefactStoreOptions { Kind = ArtefactStoreOptions.LocalKind, Path = o.Store };
        var store = ArtefactStoreFactory.Create(storeOptions);
        var curation = new CurationOptions { Seed = o.Seed };
        var io = new VideoIO();

        var inputs = o.Synthetic is int n
            ? await terminal.WithProgressAsync($"synthetic footage ({n} videos)", n, p => CurationInputs.SyntheticAsync(store, io, n, o.Seed, p))
            : await CurationInputs.ImportAsync(store, io, o.Input!, o.Dataset);

        var runs = new List<CurationRun>();
        foreach (int silos in o.Silos)
        {
            var request = new CurationRequest(inputs.Inputs, o.Dataset, o.Window, Overwrite: o.Overwrite);
            runs.Add(await RunOnce(terminal, store, curation, settings, silos, request));
        }
        var last = runs[^1];
        var splits = await CurationResults.SplitsAsync(store, last.RunId, inputs.Inputs);
        double videoSeconds = splits.Sum(s => s.DurationSeconds);

        var figures = inputs.HasTruth && last.Status.Phase == CurationPhase.Completed
            ? await CurationResults.FiguresAsync(store, last.RunId, inputs, splits, o.Dataset)
            : null;
        var probe = o.Synthetic is not null && o.ProbeClips > 0
            ? terminal.WithProgress($"probe ({o.ProbeClips} world clips)", o.ProbeClips, p => ProbeFigures.Measure(o.ProbeClips, o.Seed, p))
            : null;

        var report = new CurateReport(o.Dataset, store.Describe(DatasetManifest.ManifestKey(o.Dataset)), inputs.Inputs.Count,
            Math.Round(videoSeconds / 3600, 4), last.Status,
            SameDataset: runs.All(r => r.Status.Phase == CurationPhase.Completed) && runs.Skip(1).All(r => r.Status.DatasetUnchanged),
            runs.Select(r => Throughput.Of(r.Silos, r.WorkersPerSilo, r.Seconds, r.Status.Clips, videoSeconds, runs[0].Seconds)).ToArray(), figures, probe);
        if (json) terminal.WriteJson(report);
        else CurateReport.Print(terminal.Console, report);
        return last.Status.Phase == CurationPhase.Completed ? 0 : 1;
    }

    private static async Task<CurationRun> RunOnce(Terminal terminal, IArtefactStore store, CurationOptions curation, SiloSettings settings, int silos, CurationRequest request)
    {
        string runId = $"{request.Dataset}-{DateTime.UtcNow:yyyyMMddHHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
        int workers = settings.WorkersPerSilo(silos);
        await using var cluster = await EmbeddedCluster.StartAsync(silos, workers, store, curation, settings.StateDirectory);
        var grain = cluster.Grains.GetGrain<ICurationRunGrain>(runId);
        var watch = Stopwatch.StartNew();
        var status = await terminal.WithProgressAsync($"curate on {silos} silo{(silos == 1 ? "" : "s")}", 1, async bar =>
        {
            var s = await grain.Start(request);
            while (!s.IsFinished)
            {
                await Task.Delay(200);
                s = await grain.GetStatus();
                bar.Update(s.ClipsDone + s.ClipsFailed, Math.Max(1, s.Clips), $"curate on {silos} silo{(silos == 1 ? "" : "s")}: videos {s.VideosDone + s.VideosFailed}/{s.Videos}, clips {s.ClipsDone + s.ClipsFailed}/{s.Clips}, {s.Phase}");
            }
            return s;
        });
        watch.Stop();
        return new CurationRun(silos, workers, runId, watch.Elapsed.TotalSeconds, status);
    }

    private sealed record CurationRun(int Silos, int WorkersPerSilo, string RunId, double Seconds, CurationStatus Status);

    private static int[] SiloCounts(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) throw new ConfigException("--silos", "give one or more silo counts, e.g. 1 or 1,2");
        return parts.Select(p => int.TryParse(p, out int n) && n is > 0 and <= 8
            ? n
            : throw new ConfigException("--silos", $"'{p}' is not a silo count from 1 to 8")).ToArray();
    }

    private static int NonNegative(string option, int value) => value >= 0 ? value : throw new ConfigException(option, $"{value} must not be negative");
}
