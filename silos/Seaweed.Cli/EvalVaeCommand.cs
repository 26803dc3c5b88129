using System.CommandLine;
using System.Diagnostics;
using Seaweed.Eval.Reconstruction;
using Seaweed.Model;
using Spectre.Console;

namespace Seaweed.Cli;

/// <summary>
/// <c>seaweed eval vae</c>: PSNR and SSIM of the model's VAE on held-out world clips, at the model's training
/// resolution and at twice it (causal conv VAEs tend to degrade on sizes they were not trained at, Seaweed §3.3).
/// </summary>
internal static class EvalVaeCommand
{
    public static Command Build()
    {
        var json = SeaweedCommand.JsonOption();
        var model = new Option<string>("--model") { Description = "Model directory (config.json, tokenizer.json, model.safetensors)", Required = true };
        var clips = new Option<int>("--clips") { Description = "Held-out clips per resolution", DefaultValueFactory = _ => 16 };
        var seed = new Option<long>("--seed") { Description = "Seed of the held-out world clips", DefaultValueFactory = _ => 0 };
        var command = new Command("vae", "PSNR and SSIM of the VAE on held-out clips at the training resolution and at 2×") { json, model, clips, seed };
        command.SetAction(parse => SeaweedCommand.Run(parse, terminal =>
            Run(terminal, parse.GetValue(model)!, OptionValue.InRange("--clips", parse.GetValue(clips), 1, 1000), parse.GetValue(seed), parse.GetValue(json))));
        return command;
    }

    private static int Run(Terminal terminal, string directory, int clips, long seed, bool json)
    {
        if (!Directory.Exists(directory)) throw new ConfigException("--model", $"no model directory at {Path.GetFullPath(directory)}");
        var watch = Stopwatch.StartNew();
        using var model = SeaweedModel.Load(directory);
        var native = model.Config.Video;
        var sizes = new[] { ("training", native), ("2x", native with { Height = 2 * native.Height, Width = 2 * native.Width }) };
        var results = terminal.WithProgress("eval vae", sizes.Length * clips, bar =>
        {
            int done = 0;
            return sizes.Select(s => new EvalVaeResolution(s.Item1, VaeEvaluation.Evaluate(model.Vae,
                VaeEvaluation.HeldOut(seed, clips, s.Item2).Select(c => { bar.Report(++done); return c; })))).ToArray();
        });
        var report = new EvalVaeReport(Path.GetFullPath(directory), model.Config.Name, seed, clips, results[0].Quality, results[1].Quality, Math.Round(watch.Elapsed.TotalSeconds, 2));
        if (json) terminal.WriteJson(report);
        else
        {
            var table = new Table().AddColumns("resolution", "size", "clips", "PSNR (dB)", "SSIM", "worst PSNR (dB)", "probe all-three (reconstructed / original)");
            foreach (var (name, q) in results.Select(r => (r.Name, r.Quality)))
                table.AddRow(name, $"{q.Frames}×{q.Width}x{q.Height}", $"{q.Clips}", $"{q.Psnr:F2}", $"{q.Ssim:F4}", $"{q.WorstPsnr:F2}",
                    $"{q.Probe!.AllAccuracy:P0} / {q.ProbeCeiling!.AllAccuracy:P0}");
            terminal.Console.MarkupLine($"VAE of [bold]{Markup.Escape(report.Model)}[/] on held-out world clips (seed {seed}):");
            terminal.Console.Write(table);
        }
        return 0;
    }

    private sealed record EvalVaeResolution(string Name, ReconstructionQuality Quality);
}

/// <summary>What <c>seaweed eval vae --json</c> prints: the figures at the training resolution and at twice it.</summary>
internal sealed record EvalVaeReport(string Directory, string Model, long Seed, int Clips, ReconstructionQuality Training, ReconstructionQuality Double, double Seconds);
