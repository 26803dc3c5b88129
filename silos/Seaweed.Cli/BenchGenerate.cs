using System.CommandLine;
using System.Diagnostics;
using Seaweed.Data;
using Seaweed.Data.Prompts;
using Seaweed.Data.Video;
using Seaweed.Grains.Generation;
using Seaweed.Model.Pipeline;
using Seaweed.Parallel;
using Spectre.Console;
using static TorchSharp.torch;

namespace Seaweed.Cli;

/// <summary>
/// <c>seaweed bench generate</c>: seconds per video of a model (the shipped tiny one unless <c>--model</c> says
/// otherwise) on this machine, split into the text encoder, denoising, the VAE decode and the video encode. The model
/// is loaded as a silo loads it (<see cref="ModelCache"/>), and each video runs the service's own steps: the rephrased
/// caption through <see cref="GenerationPipeline.Generate"/>, whose timings give the first three parts, then
/// <see cref="GenerationArtefacts.EncodeVideoAsync"/> (MP4 through ffmpeg, or the GIF fallback). The total is each
/// video's wall clock from the caption to the encoded bytes; the median of <c>--repeats</c> videos is reported per
/// part, with its share of the median total.
/// </summary>
internal static class BenchGenerate
{
    public static Command Build()
    {
        var json = SeaweedCommand.JsonOption();
        var prompt = new Option<string>("--prompt") { Description = "What the videos show", DefaultValueFactory = _ => "a small red circle moves to the left" };
        var frames = GenerateInputs.FramesOption();
        var size = GenerateInputs.SizeOption("the model's");
        var steps = GenerateInputs.StepsOption();
        var model = GenerateInputs.ModelOption();
        var repeats = new Option<int>("--repeats") { Description = "Videos generated (median reported)", DefaultValueFactory = _ => 3 };
        var command = new Command("generate", "Seconds per video on this machine: text encoder, denoising, VAE decode, video encode and the total")
        {
            json, prompt, frames, size, steps, model, repeats,
        };
        command.SetAction(parse => SeaweedCommand.Run(parse, terminal =>
        {
            var inputs = GenerateInputs.FromAsync(parse.GetValue(prompt)!, null, null, parse.GetValue(frames), parse.GetValue(size), parse.GetValue(steps),
                null, 0, parse.GetValue(model)!, GenerateInputs.DefaultOutput).GetAwaiter().GetResult(); // the bench writes no file
            int n = OptionValue.InRange("--repeats", parse.GetValue(repeats), 1, 100);
            var s = inputs.Settings;
            var report = terminal.WithProgressAsync($"bench generate ({s.Frames}x{s.Width}x{s.Height}, {s.Steps} steps)", n * (s.Steps + 2),
                bar => RunAsync(inputs, n, bar)).GetAwaiter().GetResult();
            if (parse.GetValue(json)) terminal.WriteJson(report);
            else Print(terminal.Console, report);
            return 0;
        }));
        return command;
    }

    private static async Task<GenerateBenchReport> RunAsync(GenerateInputs inputs, int repeats, ProgressBar bar)
    {
        var service = new GenerationOptions(); // the silo's defaults: limits, decode chunking, frame rate
        var ffmpeg = Ffmpeg.Locate();
        var settings = inputs.Settings with { Prompt = PromptRephraser.Rephrase(inputs.Prompt).Caption };
        using var models = new ModelCache();
        var loading = Stopwatch.StartNew();
        using var model = models.Get(inputs.ModelDirectory);
        var pipeline = new GenerationPipeline(model.Model, service.Limits, service.DecodeChunkFrames);
        double loadSeconds = loading.Elapsed.TotalSeconds;

        int ticks = settings.Steps + 2;
        var runs = new List<GeneratePartSeconds>();
        string container = "";
        string? notice = null;
        for (int run = 0; run < repeats; run++)
        {
            string video = $"video {run + 1}/{repeats}";
            var progress = new StageBar(bar, run * ticks, repeats * ticks, video);
            var watch = Stopwatch.StartNew();
            var generated = pipeline.Generate(settings, progress: progress);
            bar.Update(run * ticks + ticks - 1, repeats * ticks, $"{video}: encoding");
            var frames = new VideoFrames(generated.Width, generated.Height, generated.Frames, service.Fps, generated.Rgb24);
            var encoding = Stopwatch.StartNew();
            (container, _, notice) = await GenerationArtefacts.EncodeVideoAsync(frames, ffmpeg);
            double encode = encoding.Elapsed.TotalSeconds, total = watch.Elapsed.TotalSeconds;
            var t = generated.Timings;
            runs.Add(GeneratePartSeconds.Rounded(t.Text, t.Denoise, t.Decode, encode, total));
            bar.Update((run + 1) * ticks, repeats * ticks, video);
        }

        double Of(Func<GeneratePartSeconds, double> part) => Median.Of(runs.Select(part));
        var median = GeneratePartSeconds.Rounded(Of(r => r.Text), Of(r => r.Denoise), Of(r => r.Decode), Of(r => r.Encode), Of(r => r.Total));
        return new GenerateBenchReport(inputs.ModelDirectory, $"{settings.Frames}x{settings.Width}x{settings.Height}", settings.Steps, settings.Guidance,
            settings.Prompt, repeats, get_num_threads(), container.TrimStart('.'), notice, Math.Round(loadSeconds, 3), runs, median, GenerateShares.Of(median));
    }

    /// <summary>The pipeline's reports of one video on its slice of the bar, from <paramref name="offset"/>: a tick
    /// per Euler step, then one over the decode's chunks.</summary>
    private sealed class StageBar(ProgressBar bar, int offset, int total, string video) : IProgress<PipelineProgress>
    {
        private int steps;

        public void Report(PipelineProgress p)
        {
            if (p.Stage == PipelineStage.Denoising)
            {
                steps = p.Total;
                bar.Update(offset + p.Done, total, $"{video}: denoising {p.Done}/{p.Total}");
            }
            else bar.Update(offset + steps + (double)p.Done / p.Total, total, $"{video}: decoding");
        }
    }

    private static void Print(IAnsiConsole console, GenerateBenchReport r)
    {
        console.MarkupLine(Markup.Escape($"{r.Video} video, {r.Steps} steps, guidance {r.Guidance}, {r.Container} ({r.Model}); {r.Threads} threads; model loaded in {r.LoadSeconds:F2} s"));
        if (r.Notice is not null) console.MarkupLine($"[yellow]notice[/]: {Markup.Escape(r.Notice)}");
        var table = new Table().AddColumns("part", "median s", "share", "each video s");
        void Row(string name, Func<GeneratePartSeconds, double> part, double? share) =>
            table.AddRow(name, $"{part(r.Median):F3}", share is double x ? $"{x:P1}" : "", string.Join(" ", r.Runs.Select(run => $"{part(run):F3}")));
        Row("text", p => p.Text, r.Share.Text);
        Row("denoise", p => p.Denoise, r.Share.Denoise);
        Row("decode", p => p.Decode, r.Share.Decode);
        Row("encode", p => p.Encode, r.Share.Encode);
        Row("total", p => p.Total, null);
        console.Write(table);
    }
}

/// <summary>Seconds one video spent in each part; <see cref="Total"/> is its whole wall clock, the parts and what lies between them.</summary>
internal sealed record GeneratePartSeconds(double Text, double Denoise, double Decode, double Encode, double Total)
{
    public static GeneratePartSeconds Rounded(double text, double denoise, double decode, double encode, double total) =>
        new(Math.Round(text, 4), Math.Round(denoise, 4), Math.Round(decode, 4), Math.Round(encode, 4), Math.Round(total, 4));
}

/// <summary>Each part's median over the median total.</summary>
internal sealed record GenerateShares(double Text, double Denoise, double Decode, double Encode)
{
    public static GenerateShares Of(GeneratePartSeconds m) =>
        new(Math.Round(m.Text / m.Total, 3), Math.Round(m.Denoise / m.Total, 3), Math.Round(m.Decode / m.Total, 3), Math.Round(m.Encode / m.Total, 3));
}

/// <param name="Container">What the videos were encoded as: mp4, or gif without ffmpeg (<see cref="Notice"/> says so).</param>
/// <param name="LoadSeconds">Loading the model, once, as a silo does before its first video; in no video's total.</param>
internal sealed record GenerateBenchReport(
    string Model, string Video, int Steps, double Guidance, string Caption, int Repeats, int Threads, string Container, string? Notice,
    double LoadSeconds, IReadOnlyList<GeneratePartSeconds> Runs, GeneratePartSeconds Median, GenerateShares Share);
