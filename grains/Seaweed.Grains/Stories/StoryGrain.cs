using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Seaweed.Data.Stories;
using Seaweed.Grains.Generation;
using Seaweed.Model;
using Seaweed.Model.Pipeline;

namespace Seaweed.Grains.Stories;

/// <summary>
/// Runs one story. A driver (an interleaved timer, so status queries are answered meanwhile) runs every chain of the
/// <see cref="ShotSchedule"/> at once, each shot through its <see cref="IStorySegmentGrain"/>, a <c>continue</c> shot
/// on the previous shot's lossless frames; every finished shot is persisted before the next starts. When all have
/// succeeded the shots are joined into one video. A story whose activation ended mid-run (its silo died) is driven
/// on by its next activation, which regenerates only the shots it has no result for.
/// </summary>
public sealed class StoryGrain(
    [PersistentState("story", SeaweedStorage.Name)] IPersistentState<StoryState> story,
    StoryRenderer renderer,
    GenerationService generation,
    StoryOptions options,
    ILogger<StoryGrain> logger) : Grain, IStoryGrain
{
    private readonly Dictionary<int, GenerationStatus> live = [];
    /// <summary>The shots whose segment is running them now: the only ones a status query asks about.</summary>
    private readonly HashSet<int> running = [];
    private IGrainTimer? driver;
    private CancellationTokenSource? cancel;
    private Task writing = Task.CompletedTask;

    private string StoryId => this.GetPrimaryKeyString();
    private StoryState State => story.State;
    private StoryRequest Request => State.Request!;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (State.Phase == GenerationPhase.Running)
        {
            // What an earlier activation finished is taken as it is.
            foreach (var shot in State.Shots.Where(s => s.Succeeded)) shot.Reused = true;
            StartDriver();
        }
        return Task.CompletedTask;
    }

    public async Task<StoryStatus> Start(StoryRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (State.Request is { } started)
            return SameRequest(started, request) ? await GetStatus() : throw new GenerationConflictException(StoryId);
        StoryKeys.ValidateId(StoryId);
        await Validate(request);
        State.Request = request;
        State.Phase = GenerationPhase.Running;
        State.Shots = request.Shots.Select(_ => new ShotRecord()).ToList();
        State.Created = DateTimeOffset.UtcNow;
        await Persist();
        StartDriver();
        return Status();
    }

    public async Task<StoryStatus> GetStatus()
    {
        if (State.Request is null) throw new GenerationNotFoundException(StoryId);
        if (State.Phase == GenerationPhase.Running)
            foreach (int i in running.ToArray())
                if (await Peek(i) is { } job) live[i] = job;
        return Status();
    }

    public async Task<StoryStatus> Cancel()
    {
        if (State.Request is null) throw new GenerationNotFoundException(StoryId);
        if (State.Phase != GenerationPhase.Running) return Status();
        (State.Phase, State.Finished) = (GenerationPhase.Cancelled, DateTimeOffset.UtcNow);
        cancel?.Cancel();
        await Persist();
        foreach (var (i, _) in State.Shots.Index().Where(s => !s.Item.Succeeded))
        {
            try { await GrainFactory.GetGrain<IGenerationGrain>(StoryKeys.Job(StoryId, i)).Cancel(); }
            catch (GenerationNotFoundException) { } // never submitted: nothing to stop
        }
        return Status();
    }

    public async IAsyncEnumerable<StoryStatus> Watch([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? last = null;
        while (true)
        {
            var status = await GetStatus();
            string seen = Signature(status);
            if (seen != last) yield return status;
            if (status.IsFinished) yield break;
            last = seen;
            await Task.Delay(options.WatchInterval, cancellationToken);
        }
    }

    private void StartDriver()
    {
        if (driver is not null) return;
        cancel = new CancellationTokenSource();
        var token = cancel.Token;
        driver = this.RegisterGrainTimer(_ => Drive(token),
            new GrainTimerCreationOptions { DueTime = TimeSpan.Zero, Period = Timeout.InfiniteTimeSpan, Interleave = true, KeepAlive = true });
    }

    /// <summary>Every chain at once; then the join, or the story's failure naming the shots that failed.</summary>
    private async Task Drive(CancellationToken cancellationToken)
    {
        try
        {
            var schedule = ShotSchedule.Plan(Request.Shots.Select(s => s.Transition == ShotTransition.Continue).ToArray());
            await Task.WhenAll(schedule.Chains.Select(chain => RunChain(chain, cancellationToken)));
            if (State.Phase != GenerationPhase.Running) return;
            var failed = State.Shots.Index().Where(s => !s.Item.Succeeded).ToArray();
            if (failed.Length == 0)
            {
                State.VideoKey = await renderer.RenderAsync(StoryId, Request, State.Shots.Select(s => s.Job!).ToArray(), cancellationToken);
                State.Phase = GenerationPhase.Succeeded;
            }
            else
            {
                State.Phase = GenerationPhase.Failed;
                State.Error = string.Join("; ", failed.Select(s => $"shots[{s.Index}]: {s.Item.Error ?? Describe(s.Item.Job)}"));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Cancelled: Cancel has recorded it.
        }
        catch (Exception e)
        {
            logger.LogError(e, "Story {StoryId} failed", StoryId);
            (State.Phase, State.Error) = (GenerationPhase.Failed, e.Message.ReplaceLineEndings(" "));
        }
        finally
        {
            driver?.Dispose();
            driver = null;
        }
        if (State.Phase is GenerationPhase.Succeeded or GenerationPhase.Failed)
        {
            State.Finished = DateTimeOffset.UtcNow;
            await Persist();
        }
    }

    /// <summary>A chain's shots in order, each after the one it continues; a shot that fails ends the chain.</summary>
    private async Task RunChain(IReadOnlyList<int> chain, CancellationToken cancellationToken)
    {
        foreach (int shot in chain)
        {
            if (State.Shots[shot].Succeeded) continue;
            var request = GenerationRequestFor(shot);
            var segment = GrainFactory.GetGrain<IStorySegmentGrain>(StoryKeys.Shot(StoryId, shot));
            var record = State.Shots[shot];
            running.Add(shot);
            try
            {
                try
                {
                    // A segment whose silo died, or a call that outlived its timeout: asking again reaches the same job.
                    var result = await options.UntilAnswered(() => segment.Run(request), cancellationToken);
                    (record.Job, record.Reused, record.Error) = (result.Job, result.Reused, null);
                }
                // Bad input the generation found (a frame count off the model's grid, an unknown model): this shot's.
                catch (ArgumentException e)
                {
                    record.Error = e.Message;
                }
            }
            finally
            {
                running.Remove(shot);
            }
            live.Remove(shot);
            await Persist();
            if (!record.Succeeded) return;
        }
    }

    /// <summary>Shot i's generation: the description joined with its prompt, seed + i, and for a continuation the
    /// previous shot's lossless frames.</summary>
    private GenerationRequest GenerationRequestFor(int shot)
    {
        var s = Request.Shots[shot];
        string caption = ShotCaption.Compose(Request.Description, s.Prompt, $"shots[{shot}].prompt").Text;
        string? previous = s.Transition == ShotTransition.Continue ? State.Shots[shot - 1].Job!.FramesKey : null;
        return new GenerationRequest(caption, s.Frames, Request.Width, Request.Height, Request.Steps, Request.Guidance, Request.Seed + shot,
            VideoKey: previous, Model: Request.Model);
    }

    private async Task<GenerationStatus?> Peek(int shot)
    {
        try
        {
            return await GrainFactory.GetGrain<IGenerationGrain>(StoryKeys.Job(StoryId, shot)).GetStatus();
        }
        catch (Exception e) when (e is GenerationNotFoundException || StoryOptions.IsTransient(e))
        {
            return live.GetValueOrDefault(shot);
        }
    }

    /// <summary>State writes one at a time: the chains and the calls interleave.</summary>
    private Task Persist() => writing = After(writing);

    private async Task After(Task previous)
    {
        try { await previous; }
        catch (Exception) { } // that write's caller saw its failure; this one writes the state as it is now
        await story.WriteStateAsync();
    }

    private StoryStatus Status() => new(StoryId, State.Phase,
        State.Shots.Select((s, i) => new ShotStatus(i, s.Job ?? live.GetValueOrDefault(i), s.Reused)).ToArray(),
        State.VideoKey, State.Error, State.Created, State.Finished);

    private static string Describe(GenerationStatus? job) => job switch
    {
        null => "not generated: the shot it continues failed",
        { Error: { } error } => error,
        _ => job.Phase.ToString().ToLowerInvariant(),
    };

    /// <summary>What a watcher sees change: the phase, and each shot's phase, stage and step.</summary>
    private static string Signature(StoryStatus s) =>
        $"{s.Phase}|{s.VideoKey}|{string.Join(",", s.Shots.Select(x => $"{x.Job?.Phase}:{x.Job?.Stage}:{x.Job?.Step}"))}";

    private static bool SameRequest(StoryRequest a, StoryRequest b) => a with { Shots = [] } == b with { Shots = [] } && a.Shots.SequenceEqual(b.Shots);

    /// <summary>
    /// The story's fields as the story file names them (<c>shots[2].frames</c>), checked against the model's grid
    /// before any shot starts; bad input is a <see cref="GenerationInputException"/> naming the field.
    /// </summary>
    private async Task Validate(StoryRequest request)
    {
        var config = await generation.Models.ConfigAsync(generation.Options.ModelDirectory(request.Model));
        try
        {
            var script = new StoryScript(request.Description,
                request.Shots?.Select(s => s is null ? null! : new ScriptShot(s.Prompt, s.Frames, s.Transition == ShotTransition.Continue)).ToArray()!,
                request.Width, request.Height, request.Steps, request.Guidance, request.Seed).Validate();
            script.ValidateFor(config, request.Width, request.Height);
            for (int i = 0; i < script.Shots.Count; i++)
            {
                var shot = script.Shots[i];
                string caption = ShotCaption.Compose(script.Description, shot.Prompt, $"shots[{i}].prompt").Text;
                try
                {
                    // What the generation of this shot will be held to, named as the story names it.
                    generation.Options.Limits.Check(new GenerationSettings(caption, shot.Frames, request.Height, request.Width, request.Steps, request.Guidance, request.Seed + i), config);
                }
                catch (ConfigException e) when (e.Field is "prompt" or "frames" or "width" or "height")
                {
                    throw new ConfigException(e.Field is "width" or "height" ? "size" : $"shots[{i}].{e.Field}", e.Reason);
                }
            }
        }
        catch (ConfigException e)
        {
            throw new GenerationInputException(e.Field, e.Reason);
        }
    }
}
