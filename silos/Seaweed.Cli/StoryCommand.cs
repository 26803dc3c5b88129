using System.CommandLine;
using System.Diagnostics;
using Seaweed.Data.Curation;
using Seaweed.Data.Store;
using Seaweed.Data.Stories;
using Seaweed.Grains.Generation;
using Seaweed.Grains.Stories;
using Seaweed.Model;

namespace Seaweed.Cli;

/// <summary>
/// <c>seaweed story FILE.json</c>: a multi-shot story on an embedded silo. Cut shots run at once (one model thread per
/// chain, up to the cores), each continuation after the shot it continues; a progress bar follows every shot. Writes
/// the joined video to <c>-o</c> and each shot beside it (<c>story-shot-N.mp4</c>). Running the same story again takes
/// it up where it stopped: the shots already made are reused.
/// </summary>
internal static class StoryCommand
{
    public static Command Build()
    {
        var json = SeaweedCommand.JsonOption();
        var file = new Argument<string>("FILE") { Description = "Story file (JSON): description, shots [{ prompt, frames, transition }], size, steps, guidance, seed" };
        var model = new Option<string>("--model") { Description = "Model directory", DefaultValueFactory = _ => GenerateInputs.DefaultModel };
        var output = new Option<string>("--output", "-o") { Description = "Video file to write (.mp4 or .gif); the shots go beside it", DefaultValueFactory = _ => "story.mp4" };
        var id = new Option<string?>("--id") { Description = "Story id (default: the file's name and a hash of the story, so a rerun takes it up)" };
        var command = new Command("story", "Generate a multi-shot story (cut shots in parallel, continue shots on the shot before) on an embedded silo")
        {
            file, json, model, output, id,
        };
        command.SetAction(parse => SeaweedCommand.Run(parse, terminal =>
        {
            var inputs = StoryInputs.From(parse.GetValue(file)!, parse.GetValue(model)!, parse.GetValue(output)!, parse.GetValue(id));
            return RunAsync(terminal, inputs, parse.GetValue(json)).GetAwaiter().GetResult();
        }));
        return command;
    }

    private static async Task<int> RunAsync(Terminal terminal, StoryInputs o, bool json)
    {
        var watch = Stopwatch.StartNew();
        var settings = SiloSettings.Load();
        var store = ArtefactStoreFactory.Create(settings.Artefacts);
        var request = o.Request;
        var schedule = ShotSchedule.Plan(request.Shots.Select(s => s.Transition == ShotTransition.Continue).ToArray());
        var generation = new GenerationOptions { DefaultModel = o.ModelDirectory, Workers = Math.Clamp(schedule.Chains.Count, 1, Environment.ProcessorCount) };
        int workers = settings.WorkersPerSilo(1);
        await using var cluster = await EmbeddedCluster.StartAsync(1, workers, store, new CurationOptions(), settings.StateDirectory,
            (_, silo) => silo.AddGeneration(generation).AddStories(new StoryOptions(), workers));

        var story = cluster.Grains.GetGrain<IStoryGrain>(o.StoryId);
        int perShot = request.Steps + 2, total = perShot * request.Shots.Count;
        var began = DateTimeOffset.UtcNow;
        StoryStatus? first = null;
        var status = await terminal.WithProgressAsync($"story {o.StoryId}", total, async bar =>
        {
            var last = first = await Start(story, request, o.StoryId);
            await foreach (var next in story.Watch())
            {
                last = next;
                bar.Update(next.Shots.Sum(Done), total, string.Join(" · ", next.Shots.Select(Label)));
            }
            return last;
        });
        if (status.Phase != GenerationPhase.Succeeded)
        {
            terminal.Error.WriteLine($"seaweed: story {status.Phase.ToString().ToLowerInvariant()}: {status.Error ?? "no video was made"}");
            return 1;
        }

        var (written, notice) = await Copy(store, status.VideoKey!, o.Output);
        // Shots a story made before this run (it was started earlier) are reused here, whatever that run was.
        bool existed = first!.Created < began;
        var shots = new List<StoryShotReport>();
        foreach (var s in status.Shots)
        {
            string path = Path.Combine(Path.GetDirectoryName(written)!, $"{Path.GetFileNameWithoutExtension(o.Output)}-shot-{s.Shot}{Path.GetExtension(o.Output)}");
            var shot = request.Shots[s.Shot];
            shots.Add(new StoryShotReport(s.Shot, shot.Transition.ToString().ToLowerInvariant(), shot.Frames, s.Job!.Caption,
                s.Reused || existed && first.Shots[s.Shot].Job?.Phase == GenerationPhase.Succeeded, s.Job.Warnings,
                (await Copy(store, s.Job.VideoKey!, path)).Path));
        }
        var (frames, joins) = await Joins(store, o, status);
        var report = new StoryReport(o.StoryId, written, notice, frames, request.Width, request.Height, shots, joins, store.Describe(status.VideoKey!),
            Math.Round(watch.Elapsed.TotalSeconds, 2));
        if (json) terminal.WriteJson(report);
        else StoryReport.Print(terminal.Console, report);
        return 0;
    }

    private static async Task<StoryStatus> Start(IStoryGrain story, StoryRequest request, string id)
    {
        try
        {
            return await story.Start(request);
        }
        catch (GenerationConflictException)
        {
            throw new ConfigException("--id", $"story '{id}' exists with another request; pass another --id");
        }
    }

    private static int Done(ShotStatus s) => s.Job switch
    {
        null => 0,
        { IsFinished: true } => s.Job.Steps + 2,
        { Stage: GenerationStage.Denoising } => s.Job.Step,
        { Stage: GenerationStage.Decoding } => s.Job.Steps,
        { Stage: GenerationStage.Writing } => s.Job.Steps + 1,
        _ => 0,
    };

    private static string Label(ShotStatus s) => $"shot {s.Shot} " + (s.Job switch
    {
        null => "waiting",
        { Phase: GenerationPhase.Succeeded } => s.Reused ? "reused" : "done",
        { IsFinished: true } => s.Job.Phase.ToString().ToLowerInvariant(),
        { Stage: GenerationStage.Denoising } => $"{s.Job.Step}/{s.Job.Steps}",
        _ => s.Job.Stage.ToString().ToLowerInvariant(),
    });

    /// <summary>The stored video written to <paramref name="path"/>, whose extension becomes the stored one's (a GIF
    /// where ffmpeg was missing, with the notice saying so).</summary>
    private static async Task<(string Path, string? Notice)> Copy(IArtefactStore store, string key, string path)
    {
        string extension = Path.GetExtension(key);
        string target = Path.ChangeExtension(path, extension);
        await AtomicFile.WriteAllBytesAsync(target, await store.ReadAllBytesAsync(key));
        string? notice = target == path ? null : $"MP4 needs ffmpeg, which the silo did not find; wrote {Path.GetFileName(target)} instead of {Path.GetFileName(path)}";
        return (target, notice);
    }

    /// <summary>The story's length and every join, measured on the shots' lossless frames as the story joins them.</summary>
    private static async Task<(int Frames, IReadOnlyList<JoinContinuity> Joins)> Joins(IArtefactStore store, StoryInputs o, StoryStatus status)
    {
        var jobs = status.Shots.Select(s => s.Job!).ToArray();
        var (joined, kept) = StoryRenderer.Join(o.Config, o.Request, await StoryRenderer.ReadAsync(store, jobs), jobs);
        return (joined.FrameCount, Continuity.AtJoins(joined, kept));
    }
}
