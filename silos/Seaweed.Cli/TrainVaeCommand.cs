using System.CommandLine;
using System.Globalization;
using Seaweed.Model;
using Seaweed.Training.Vae;
using Spectre.Console;

namespace Seaweed.Cli;

/// <summary>
/// <c>seaweed train vae</c>: trains a model's VAE in this process (images, then videos; L1 + SSIM + KL, then the
/// PatchGANs) and exports the model directory that <c>seaweed train</c>'s config can name as its model. A run cut
/// short continues from its newest checkpoint with <c>--resume</c>.
/// </summary>
internal static class TrainVaeCommand
{
    public static Command Build()
    {
        var json = SeaweedCommand.JsonOption();
        var config = new Option<string>("--config") { Description = "VAE training config (JSON; see configs/vae-tiny.json)", Required = true };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in the config's output directory from its newest checkpoint" };
        var stop = new Option<long?>("--stop-after") { Description = "Stop after this many steps in all (a checkpoint and the model are written there); --resume continues" };
        var command = new Command("vae", "Train the VAE (Seaweed §3): images then videos at mixed shapes, PatchGANs after warm-up; exports {output}/model")
        {
            json, config, resume, stop,
        };
        command.SetAction(parse => SeaweedCommand.Run(parse, terminal =>
            Run(terminal, parse.GetValue(config)!, parse.GetValue(resume), parse.GetValue(stop), parse.GetValue(json))));
        return command;
    }

    private static int Run(Terminal terminal, string path, bool resume, long? stopAfter, bool json)
    {
        if (!File.Exists(path)) throw new ConfigException("--config", $"no VAE training config at {Path.GetFullPath(path)}");
        var config = VaeTrainingConfig.Load(path);
        if (stopAfter is { } s && (s < 1 || s > config.Steps)) throw new ConfigException("--stop-after", $"{s} must be from 1 to the run's {config.Steps} steps");
        string line = "";
        var summary = terminal.WithProgressAsync($"train vae: step 0/{config.Steps}", (int)config.Steps, bar => Task.FromResult(VaeRun.Run(config, resume, stopAfter,
            step => bar.Update(step.Step, config.Steps, line = Line(step, config.Steps)),
            (_, checkpoint) => terminal.Error.WriteLine($"seaweed: {line}; checkpoint {checkpoint}")))).GetAwaiter().GetResult();
        if (json) terminal.WriteJson(summary);
        else Print(terminal.Console, summary);
        return 0;
    }

    /// <summary>The live progress line: step, stage and shape, the loss terms, seconds per step.</summary>
    public static string Line(VaeStepMetrics m, long steps)
    {
        var l = m.Losses;
        return string.Create(CultureInfo.InvariantCulture,
            $"train vae: step {m.Step}/{steps}, {m.Shape.StageName} ({m.Shape}), loss {l.Total:F4} (l1 {l.L1:F4}, ssim {l.Ssim:F3}, kl {l.Kl:F2}{(m.Gan ? $", g {l.Generator:F3}, d {l.Discriminator:F3}" : "")}), {m.Seconds:F2} s/step");
    }

    private static void Print(IAnsiConsole console, VaeRunSummary s)
    {
        console.MarkupLine($"VAE run in [bold]{Markup.Escape(s.Output)}[/]: step {s.Step}/{s.Steps}{(s.ResumedFrom is long r ? $", resumed from step {r}" : "")}, {s.SecondsPerStep:F2} s/step");
        var stages = new Table().AddColumns("stage", "steps", "loss", "L1", "SSIM", "KL", "G", "D");
        foreach (var st in s.Stages)
        {
            var m = st.Mean;
            stages.AddRow(Markup.Escape(st.Name), $"{st.Steps}", $"{m.Total:F4}", $"{m.L1:F4}", $"{m.Ssim:F4}", $"{m.Kl:F3}", $"{m.Generator:F3}", $"{m.Discriminator:F3}");
        }
        console.Write(stages);
        foreach (var skip in s.Skipped) console.MarkupLine($"[yellow]skipped[/] {Markup.Escape(skip.Path)}: {Markup.Escape(skip.Reason)}");
        console.MarkupLine($"checkpoint: {Markup.Escape(s.Checkpoint)}");
        console.MarkupLine($"model: {Markup.Escape(s.Model)} (vae.latentScale {s.LatentScale})");
    }
}
