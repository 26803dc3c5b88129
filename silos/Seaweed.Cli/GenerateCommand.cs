using System.CommandLine;
using System.Diagnostics;
using Seaweed.Data;
using Seaweed.Data.Store;
using Seaweed.Data.Video;
using Seaweed.Grains.Generation;
using Seaweed.Model;

namespace Seaweed.Cli;

/// <summary>
/// <c>seaweed generate "PROMPT"</c>: text to video, image to video (<c>--image</c>, the first frame) or continuation
/// (<c>--video</c>) on an embedded silo, or with <c>--cluster</c> on the running cluster (<see cref="GenerateTarget"/>).
/// The given image or video is uploaded to the artefact store, the job is submitted and watched (a progress bar over
/// denoising and decoding on stderr), and its video is written to <c>-o</c>: MP4, or a GIF with a notice where ffmpeg
/// is missing.
/// </summary>
internal static class GenerateCommand
{
    public static Command Build()
    {
        var json = SeaweedCommand.JsonOption();
        var prompt = new Argument<string>("PROMPT") { Description = "What the video shows, e.g. \"a small red circle moves to the left\"" };
        var image = new Option<string?>("--image") { Description = "Image (PNG, JPEG, …) to start from: the first frame" };
        var video = new Option<string?>("--video") { Description = "Video to continue: its last frames begin the new one" };
        var frames = GenerateInputs.FramesOption();
        var size = GenerateInputs.SizeOption("the image's or the model's");
        var steps = GenerateInputs.StepsOption();
        var guidance = new Option<double?>("--guidance") { Description = "Classifier-free guidance scale (default: the model's)" };
        var seed = new Option<long>("--seed") { Description = "Seed of the initial noise: the same seed gives the same video", DefaultValueFactory = _ => 0 };
        var model = GenerateInputs.ModelOption();
        var output = new Option<string>("--output", "-o") { Description = "Video file to write (.mp4 or .gif)", DefaultValueFactory = _ => GenerateInputs.DefaultOutput };
        var tiles = new Option<string?>("--tiles") { Description = "ROWSxCOLUMNS: decode on this grid of tiles across the silos (default: whole, or as the silos are configured)" };
        var cluster = new Option<bool>("--cluster") { Description = "Run on the cluster of Seaweed:Cluster (appsettings.json, environment) as a client, not on an embedded silo" };
        var command = new Command("generate", "Generate a video from a prompt (and an image or a video) on an embedded silo or a running cluster")
        {
            prompt, json, image, video, frames, size, steps, guidance, seed, model, output, tiles, cluster,
        };
        command.SetAction(parse => SeaweedCommand.Run(parse, terminal =>
        {
            var inputs = GenerateInputs.FromAsync(parse.GetValue(prompt)!, parse.GetValue(image), parse.GetValue(video), parse.GetValue(frames), parse.GetValue(size),
                parse.GetValue(steps), parse.GetValue(guidance), parse.GetValue(seed), parse.GetValue(model)!, parse.GetValue(output)!, parse.GetValue(tiles)).GetAwaiter().GetResult();
            return RunAsync(terminal, inputs, parse.GetValue(cluster), parse.GetValue(json)).GetAwaiter().GetResult();
        }));
        return command;
    }

    private static async Task<int> RunAsync(Terminal terminal, GenerateInputs o, bool cluster, bool json)
    {
        var watch = Stopwatch.StartNew();
        // A cluster's silos generate with their own default model; --model only sets the defaults checked here.
        await using var target = cluster
            ? await GenerateTarget.ClientAsync(ComputeSettings.Configuration())
            : await GenerateTarget.EmbeddedAsync(SiloSettings.Load(), new GenerationOptions { DefaultModel = o.ModelDirectory });
        var store = target.Store;
        string? imageKey = o.Image is null ? null : await Uploads.StoreAsync(store, PngEncoder.Encode(o.Image), ".png");
        string? videoKey = o.Video is null ? null : await Uploads.StoreAsync(store, FrameArchive.Encode(o.Video), FrameArchive.Extension);

        string jobId = $"cli-{Guid.NewGuid():N}";
        var job = target.Grains.GetGrain<IGenerationGrain>(jobId);
        var s = o.Settings;
        var request = new GenerationRequest(o.Prompt, s.Frames, s.Width, s.Height, s.Steps, s.Guidance, s.Seed, imageKey, videoKey, Tiles: o.Tiles);
        var status = await terminal.WithProgressAsync("generate", s.Steps + 2, async bar =>
        {
            var last = await job.Submit(request);
            await foreach (var next in job.Watch())
            {
                last = next;
                var (value, label) = next.Stage switch
                {
                    GenerationStage.Waiting => (0, "waiting for a worker"),
                    GenerationStage.Denoising => (next.Step, $"denoising {next.Step}/{next.Steps}"),
                    GenerationStage.Decoding => (next.Steps, "decoding"),
                    _ => (next.Steps + 1, "writing"),
                };
                bar.Update(value, s.Steps + 2, label);
            }
            return last;
        });
        if (status.Phase != GenerationPhase.Succeeded)
        {
            terminal.Error.WriteLine($"seaweed: generation {status.Phase.ToString().ToLowerInvariant()}: {status.Error ?? "no video was made"}");
            return 1;
        }
        var written = await WriteOutput(store, status, o.Output);
        var report = new GenerateReport(jobId, status.Caption, status.Warnings, written.Path, written.Notice, s.Frames, s.Width, s.Height, s.Steps, s.Guidance, s.Seed,
            o.ModelDirectory, store.Describe(status.VideoKey!), Math.Round(watch.Elapsed.TotalSeconds, 2), target.Description, status.DecodedOn);
        if (json) terminal.WriteJson(report);
        else GenerateReport.Print(terminal.Console, report);
        return 0;
    }

    /// <summary>The stored video copied when it is what <paramref name="path"/> asks for; otherwise written anew from the
    /// lossless frames (MP4 without ffmpeg becomes a GIF, with the notice saying so).</summary>
    private static async Task<VideoWriteResult> WriteOutput(IArtefactStore store, GenerationStatus status, string path)
    {
        if (Path.GetExtension(status.VideoKey!).Equals(Path.GetExtension(path), StringComparison.OrdinalIgnoreCase))
        {
            await AtomicFile.WriteAllBytesAsync(path, await store.ReadAllBytesAsync(status.VideoKey!));
            return new VideoWriteResult(path);
        }
        var frames = FrameArchive.Decode(await store.ReadAllBytesAsync(status.FramesKey!), status.FramesKey!);
        return await new VideoIO().WriteAsync(frames, path);
    }
}
