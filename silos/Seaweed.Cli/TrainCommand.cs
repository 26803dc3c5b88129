using System.CommandLine;
using System.Diagnostics;
using Seaweed.Data.Curation;
using Seaweed.Data.Store;
using Seaweed.Grains.Devices;
using Seaweed.Grains.Training;
using Seaweed.Model;
using Seaweed.Training;
using Seaweed.Training.Checkpoints;
using Seaweed.Training.Samples;

namespace Seaweed.Cli;

/// <summary>
/// <c>seaweed train</c>: a training run on embedded silos, one CPU device per rank. The run grain assembles the
/// ranks, steps them, commits checkpoints to the artefact store and keeps its state under the silo state directory,
/// so a run cut short (the process killed) continues from its last checkpoint with <c>--resume</c>.
/// </summary>
internal static class TrainCommand
{
    public static Command Build()
    {
        var json = SeaweedCommand.JsonOption();
        var config = new Option<string>("--config") { Description = "Training config (JSON; see configs/train-tiny.json)", Required = true };
        var ranks = new Option<int?>("--ranks") { Description = "Ranks (devices) to train on; the config's dp is scaled to match (default: parallel.ranks)" };
        var resume = new Option<bool>("--resume") { Description = "Continue the run of this id from its last committed checkpoint" };
        var run = new Option<string?>("--run") { Description = "Run id (default: the config file's name)" };
        var silos = new Option<int>("--silos") { Description = "Embedded silos the ranks are spread over", DefaultValueFactory = _ => 1 };
        var store = new Option<string?>("--store") { Description = "Artefact store directory for checkpoints and datasets (default: Seaweed:Artefacts)" };
        var stall = new Option<double>("--stall-minutes")
        {
            Description = "Give up waiting when the run makes no progress (step, phase or epoch) for this long; the run stays resumable",
            DefaultValueFactory = _ => 2 * TrainingRunGrain.DefaultStepTimeout.TotalMinutes,
        };
        var command = new Command("train", "Train on embedded silos: curriculum stages, checkpoints, restart from the last checkpoint on failure")
        {
            json, config, ranks, resume, run, silos, store, stall,
        };
        command.Subcommands.Add(TrainVaeCommand.Build());
        command.Subcommands.Add(TrainExportCommand.Build());
        command.SetAction(parse => SeaweedCommand.Run(parse, terminal =>
        {
            var options = TrainOptions.From(parse.GetValue(config)!, parse.GetValue(ranks), parse.GetValue(run), parse.GetValue(silos), parse.GetValue(resume), parse.GetValue(store),
                parse.GetValue(stall));
            return RunAsync(terminal, options, parse.GetValue(json)).GetAwaiter().GetResult();
        }));
        return command;
    }

    private static async Task<int> RunAsync(Terminal terminal, TrainOptions o, bool json)
    {
        var settings = SiloSettings.Load();
        var store = ArtefactStoreFactory.Create(o.Store is null ? settings.Artefacts : new ArtefactStoreOptions { Kind = ArtefactStoreOptions.LocalKind, Path = o.Store });
        // A dataset missing from the store is bad input, named before any silo starts; the ranks would only fail the run.
        await SampleSources.OpenAsync(o.Config, store);
        int ranks = o.Config.Parallel.Ranks;
        int devices = (ranks + o.Silos - 1) / o.Silos;
        await using var cluster = await EmbeddedCluster.StartAsync(o.Silos, settings.WorkersPerSilo(o.Silos), store, new CurationOptions(), settings.StateDirectory,
            (_, silo) => silo.AddDevices(new DeviceOptions { Count = devices }).AddRankTrainer(TrainingRunRequest.RecipeTrainer, new RecipeTrainer()));
        var grain = cluster.Grains.GetGrain<ITrainingRunGrain>(o.RunId);
        // Inspect, not GetProgress: asking must not set an interrupted run going before it is refused.
        var existing = await grain.Inspect();
        if (o.Resume && existing.Phase == TrainingPhase.NotStarted)
            throw new ConfigException("--resume", $"there is no run '{o.RunId}' to resume (state under {settings.StateDirectory})");
        if (!o.Resume && existing.Phase != TrainingPhase.NotStarted)
            throw new ConfigException("--run", $"run '{o.RunId}' exists ({existing.Phase}, step {existing.Step} of {existing.Steps}); pass --resume to continue it, or --run NAME for a new run");

        var watch = Stopwatch.StartNew();
        var request = new TrainingRunRequest(o.Config.ToJson(), o.BaseDirectory);
        var progress = await terminal.WithProgressAsync($"train {o.RunId}", (int)o.Config.Steps, async bar =>
        {
            var p = await grain.Start(request);
            var moved = Stopwatch.StartNew();
            while (!p.IsFinished && moved.Elapsed < o.Stall)
            {
                bar.Update(p.Step, Math.Max(1, p.Steps), TrainReport.Line(p));
                await Task.Delay(250);
                var next = await grain.GetProgress();
                if ((next.Phase, next.Step, next.Epoch) != (p.Phase, p.Step, p.Epoch)) moved.Restart();
                p = next;
            }
            return p;
        });
        if (!progress.IsFinished)
        {
            terminal.Error.WriteLine($"seaweed: run '{o.RunId}' made no progress for {o.Stall.TotalMinutes:0.#} minutes ({progress.Phase}, step {progress.Step} of {progress.Steps}, "
                + $"epoch {progress.Epoch}); gave up waiting, its last checkpoint is kept: --resume continues it");
            return 1;
        }
        var history = await grain.GetHistory();
        var report = TrainReport.Of(progress, history, watch.Elapsed.TotalSeconds, progress.CheckpointStep is long step ? store.Describe(TrainingCheckpoint.ManifestKey(o.RunId, step)) : null);
        if (json) terminal.WriteJson(report);
        else TrainReport.Print(terminal.Console, report);
        return progress.Phase == TrainingPhase.Completed ? 0 : 1;
    }

    /// <summary>The command line, checked: the config parsed and validated, its rank count set to <c>--ranks</c>.</summary>
    private sealed record TrainOptions(TrainingConfig Config, string? BaseDirectory, string RunId, int Silos, bool Resume, string? Store, TimeSpan Stall)
    {
        public static TrainOptions From(string path, int? ranks, string? run, int silos, bool resume, string? store, double stallMinutes)
        {
            if (!(stallMinutes > 0) || double.IsInfinity(stallMinutes)) throw new ConfigException("--stall-minutes", $"{stallMinutes} must be a positive number of minutes");
            if (!File.Exists(path)) throw new ConfigException("--config", $"no training config at {Path.GetFullPath(path)}");
            var config = TrainingConfig.Load(path);
            if (ranks is int n) config = WithRanks(config, n);
            string runId = run ?? Path.GetFileNameWithoutExtension(path);
            try
            {
                TrainingCheckpoint.ValidateRunId(runId);
            }
            catch (ArgumentException e)
            {
                throw new ConfigException("--run", e.Message);
            }
            if (silos < 1 || silos > config.Parallel.Ranks) throw new ConfigException("--silos", $"{silos} must be from 1 to the {config.Parallel.Ranks} ranks");
            return new TrainOptions(config, Path.GetDirectoryName(Path.GetFullPath(path)), runId, silos, resume, store, TimeSpan.FromMinutes(stallMinutes));
        }

        /// <summary>The config on <paramref name="ranks"/> ranks: fsdp and cp stay, dp takes up the rest.</summary>
        private static TrainingConfig WithRanks(TrainingConfig config, int ranks)
        {
            var p = config.Parallel;
            int perReplica = p.Fsdp * p.Cp;
            if (ranks < 1 || ranks % perReplica != 0)
                throw new ConfigException("--ranks", $"{ranks} is not a positive multiple of the config's fsdp·cp = {p.Fsdp}·{p.Cp}");
            return (config with { Parallel = p with { Ranks = ranks, Dp = ranks / perReplica } }).Validate();
        }
    }
}
