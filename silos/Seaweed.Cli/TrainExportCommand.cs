using System.CommandLine;
using Seaweed.Data.Curation;
using Seaweed.Data.Store;
using Seaweed.Grains.Devices;
using Seaweed.Grains.Training;
using Seaweed.Model;
using Seaweed.Training;
using Seaweed.Training.Checkpoints;
using Seaweed.Training.Export;
using Spectre.Console;

namespace Seaweed.Cli;

/// <summary>
/// <c>seaweed train export</c>: a completed run's last checkpoint as a model directory (config.json,
/// model.safetensors, tokenizer.json), and the run's loss history as the run grain kept it, which the model card's
/// loss curves are drawn from.
/// </summary>
internal static class TrainExportCommand
{
    public static Command Build()
    {
        var json = SeaweedCommand.JsonOption();
        var config = new Option<string>("--config") { Description = "The run's training config", Required = true };
        var run = new Option<string?>("--run") { Description = "Run id (default: the config file's name)" };
        var store = new Option<string?>("--store") { Description = "Artefact store directory of the run's checkpoints (default: Seaweed:Artefacts)" };
        var output = new Option<string>("--out") { Description = "Model directory to write (must be empty or absent)", Required = true };
        var precision = new Option<string>("--precision") { Description = "How the weights are stored: fp16 (half the size, upcast on load) or fp32", DefaultValueFactory = _ => "fp16" };
        var command = new Command("export", "Write a completed run's last checkpoint as a model directory, with the run's loss history") { json, config, run, store, output, precision };
        command.SetAction(parse => SeaweedCommand.Run(parse, terminal =>
            RunAsync(terminal, parse.GetValue(config)!, parse.GetValue(run), parse.GetValue(store), parse.GetValue(output)!,
                WeightPrecisions.Parse(parse.GetValue(precision)!, "--precision"), parse.GetValue(json)).GetAwaiter().GetResult()));
        return command;
    }

    private static async Task<int> RunAsync(Terminal terminal, string path, string? run, string? storePath, string output, WeightPrecision precision, bool json)
    {
        if (!File.Exists(path)) throw new ConfigException("--config", $"no training config at {Path.GetFullPath(path)}");
        var config = TrainingConfig.Load(path);
        string runId = run ?? Path.GetFileNameWithoutExtension(path);
        try
        {
            TrainingCheckpoint.ValidateRunId(runId);
        }
        catch (ArgumentException e)
        {
            throw new ConfigException("--run", e.Message);
        }
        if (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any())
            throw new ConfigException("--out", $"{Path.GetFullPath(output)} is not empty; export into a new directory");
        var settings = SiloSettings.Load();
        var store = ArtefactStoreFactory.Create(storePath is null ? settings.Artefacts : new ArtefactStoreOptions { Kind = ArtefactStoreOptions.LocalKind, Path = storePath });

        IReadOnlyList<StepRecord> history;
        // A silo with no device to offer: the run grain is read, never driven.
        await using (var cluster = await EmbeddedCluster.StartAsync(1, settings.WorkersPerSilo(1), store, new CurationOptions(), settings.StateDirectory,
            (_, silo) => silo.AddDevices(new DeviceOptions { Count = 0 })))
        {
            var grain = cluster.Grains.GetGrain<ITrainingRunGrain>(runId);
            // Inspect first: asking for the history of an interrupted run would set it going again.
            var progress = await grain.Inspect();
            if (progress.Phase != TrainingPhase.Completed)
                throw new ConfigException("--run", $"run '{runId}' is {progress.Phase} at step {progress.Step} of {progress.Steps}; only a completed run is exported (resume it with seaweed train --resume)");
            history = await grain.GetHistory();
        }
        var exported = await TrainedModelExport.WriteAsync(store, config, runId, output, precision);
        var report = new TrainExportReport(exported.Directory, exported.RunId, exported.Step, exported.Stage, exported.WeightBytes,
            history.Select(h => new LossPoint(h.Step, h.Stage, Math.Round(h.Loss, 6), Math.Round(h.Seconds, 3))).ToArray());
        if (json) terminal.WriteJson(report);
        else terminal.Console.MarkupLine($"run [bold]{Markup.Escape(runId)}[/] after step {report.Step} ({Markup.Escape(report.Stage)}) → {Markup.Escape(report.Directory)} ({report.WeightBytes / 1e6:F1} MB of weights, {report.History.Count} steps of loss history)");
        return 0;
    }
}

/// <summary>One step's training loss and wall time.</summary>
internal sealed record LossPoint(long Step, string Stage, double Loss, double Seconds);

/// <summary>What <c>seaweed train export --json</c> prints: the model written and the run's loss at every step.</summary>
internal sealed record TrainExportReport(string Directory, string RunId, long Step, string Stage, long WeightBytes, IReadOnlyList<LossPoint> History);
