using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Orleans.Serialization;
using Seaweed.Data;
using Seaweed.Data.Prompts;
using Seaweed.Data.Store;
using Seaweed.Grains.Decoding;
using Seaweed.Model;
using Seaweed.Model.Pipeline;
using Seaweed.Training.Samples;

namespace Seaweed.Grains.Generation;

/// <summary>
/// One generation job. Submit checks the request (against the model's grid and the given image or video), takes a
/// place in the silo's bounded queue, registers the job's watchdog reminder and persists the job; a driver (an
/// interleaved timer, so status calls and Watch are answered meanwhile) samples on a generation thread, decodes there
/// or on tiles across the cluster, then stores the frames and the video under keys of that attempt's own. An activation that finds a
/// job queued or running in its state (its silo died) takes it up again; the reminder brings that activation about
/// when nobody calls, and is removed once the job finishes.
/// </summary>
public sealed class GenerationGrain(
    [PersistentState(GenerationGrain.StateName, SeaweedStorage.Name)] IPersistentState<GenerationJobState> job,
    GenerationService service,
    IArtefactStore store,
    ILocalSiloDetails silo,
    DeepCopier<GenerationJobState> copier,
    ILogger<GenerationGrain> logger) : Grain, IGenerationGrain, IRemindable
{
    /// <summary>The name the job's state is stored under.</summary>
    public const string StateName = "generation";
    private const string Watchdog = "watchdog";

    private readonly SemaphoreSlim saving = new(1, 1);
    private IGrainTimer? driver;
    // The driver's cancellation from its registration on: a Cancel before its first tick stops it too.
    private CancellationTokenSource? running;
    private int step;
    // Every status of this activation, in order, so that a watcher slower than the job still sees each step.
    private readonly List<GenerationStatus> changes = [];
    private TaskCompletionSource changed = NewSignal();

    private string JobId => this.GetPrimaryKeyString();
    private GenerationJobState State => job.State;
    private GenerationRequest Request => State.Request!;
    // A job never submitted has no request (and the default phase, Queued).
    private bool Unfinished => State.Request is not null && State.Phase is GenerationPhase.Queued or GenerationPhase.Running;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        TakeUp();
        return Task.CompletedTask;
    }

    /// <summary>The watchdog: a tick finds the job worked on, or takes it up (the activation it caused may already have), or removes itself once the job is over.</summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != Watchdog) return;
        if (Unfinished)
        {
            TakeUp();
            return;
        }
        await StopWatchdog();
        if (State.Request is null) DeactivateOnIdle();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        running?.Cancel();
        service.Release(JobId);
        return Task.CompletedTask;
    }

    public async Task<GenerationStatus> Submit(GenerationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (State.Request is { } existing)
            return existing == request ? Status() : throw new GenerationConflictException(JobId);
        GenerationArtefacts.CheckJobId(JobId);
        var rephrased = await Check(request);
        if (!service.TryAdmit(JobId)) throw new GenerationQueueFullException(service.Capacity);
        try
        {
            // Before the job is stored: a stored job always has its watchdog (one without a job removes itself).
            await this.RegisterOrUpdateReminder(Watchdog, service.Options.WatchdogPeriod, service.Options.WatchdogPeriod);
            await Persist(() =>
            {
                (State.Request, State.Phase, State.Stage) = (request, GenerationPhase.Queued, GenerationStage.Waiting);
                (State.Caption, State.Warnings, State.Created) = (rephrased.Caption, rephrased.Warnings.ToList(), DateTimeOffset.UtcNow);
            });
        }
        catch
        {
            service.Release(JobId);
            throw;
        }
        Changed();
        StartDriver();
        return Status();
    }

    public Task<GenerationStatus> GetStatus()
    {
        EnsureExists();
        return Task.FromResult(Status());
    }

    public async Task<GenerationStatus> Cancel()
    {
        EnsureExists();
        // Once writing has begun the result is stored whole: a cancel then is too late.
        if (State.Phase == GenerationPhase.Queued || State.Phase == GenerationPhase.Running && State.Stage != GenerationStage.Writing)
        {
            try
            {
                await Finish(() => State.Phase = GenerationPhase.Cancelled);
            }
            catch
            {
                // Still unfinished: a driver that saw it cancelled while the write was pending has stopped.
                TakeUp();
                throw;
            }
        }
        return Status();
    }

    public async IAsyncEnumerable<GenerationStatus> Watch([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        EnsureExists();
        var now = Status();
        yield return now;
        if (now.IsFinished) yield break;
        for (int seen = changes.Count; ;)
        {
            var next = changed.Task;
            while (seen < changes.Count)
            {
                var status = changes[seen++];
                yield return status;
                if (status.IsFinished) yield break;
            }
            await next.WaitAsync(cancellationToken);
        }
    }

    /// <summary>The request checked before anything is stored (a <see cref="GenerationInputException"/> names the field); returns the rephrased prompt.</summary>
    private async Task<RephrasedPrompt> Check(GenerationRequest r)
    {
        var limits = service.Options.Limits;
        try
        {
            limits.CheckPrompt(r.Prompt);
            if (r.ImageKey is not null && r.VideoKey is not null) throw new GenerationInputException("video", "give an image or a video to start from, not both");
            var config = await service.Models.ConfigAsync(service.Options.ModelDirectory(r.Model));
            var rephrased = PromptRephraser.Rephrase(r.Prompt);
            limits.Check(Settings(r, rephrased.Caption), config);
            if (r.Tiles is { } tiles) TiledGenerationDecode.Check(tiles, config, r.Width, r.Height);
            if ((r.ImageKey ?? r.VideoKey) is { } key)
            {
                string field = r.ImageKey is null ? "video" : "image";
                var given = await ReadGiven(r);
                if ((given.Width, given.Height) != (r.Width, r.Height))
                    throw new GenerationInputException(field, $"'{key}' is {given.Width}x{given.Height}; the video to generate is {r.Width}x{r.Height}");
            }
            return rephrased;
        }
        catch (ConfigException e)
        {
            throw new GenerationInputException(e.Field, e.Reason);
        }
    }

    private Task<VideoFrames> ReadGiven(GenerationRequest r) => GenerationArtefacts.ReadGivenAsync(store, (r.ImageKey ?? r.VideoKey)!,
        r.ImageKey is null ? "video" : "image", service.Ffmpeg, service.Options.Fps);

    private static GenerationSettings Settings(GenerationRequest r, string caption) =>
        new(caption, r.Frames, r.Height, r.Width, r.Steps, r.Guidance, r.Seed);

    /// <summary>Takes up an unfinished job nothing here works on; it was admitted once, so it is never refused now.</summary>
    private void TakeUp()
    {
        if (driver is not null || !Unfinished) return;
        service.TryAdmit(JobId, force: true);
        (State.Phase, State.Stage) = (GenerationPhase.Queued, GenerationStage.Waiting);
        StartDriver();
    }

    private void StartDriver()
    {
        if (driver is not null) return;
        running = new CancellationTokenSource();
        driver = this.RegisterGrainTimer(Drive, new GrainTimerCreationOptions
        {
            DueTime = TimeSpan.Zero, Period = Timeout.InfiniteTimeSpan, Interleave = true, KeepAlive = true,
        });
    }

    /// <summary>Runs the job once, unless it was cancelled first; a failure fails it, a silo stopping leaves it for the next activation.</summary>
    private async Task Drive(CancellationToken timerToken)
    {
        using var cancel = running!;
        try
        {
            if (!Unfinished || cancel.IsCancellationRequested) return;
            var video = await Generate(cancel.Token);
            if (State.Phase != GenerationPhase.Running) return;
            State.Stage = GenerationStage.Writing;
            Changed();
            await Store(video);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // Cancelled, or the activation is going.
        }
        catch (OperationCanceledException e) when (service.IsStopping)
        {
            // The persisted job is taken up by its next activation.
            logger.LogInformation(e, "Generation job {Job} interrupted: the silo is stopping", JobId);
        }
        catch (Exception e) when (Unfinished)
        {
            // A cancellation neither Cancel's nor the silo's (a call that timed out) fails the job too: taken up again, it would only recur.
            logger.LogWarning(e, "Generation job {Job} failed", JobId);
            string reason = $"{e.GetType().Name}: {e.Message}";
            await Finish(() => (State.Phase, State.Error) = (GenerationPhase.Failed, e is OperationCanceledException ? $"cancelled, though not by Cancel: {reason}" : reason));
        }
        finally
        {
            // Work left running (a write failed as it started) stops at its next step.
            cancel.Cancel();
            running = null;
            driver?.Dispose();
            driver = null;
        }
    }

    /// <summary>
    /// Sampling on a generation thread, then the decode: there too, or on tiles across the cluster when the options or
    /// the request say so. Progress comes back through a channel and is applied here, on the grain's own turns; the
    /// first report (step 0) says a worker has started the job.
    /// </summary>
    private async Task<GeneratedVideo> Generate(CancellationToken cancellationToken)
    {
        var request = Request;
        var given = (request.ImageKey ?? request.VideoKey) is null ? null : await ReadGiven(request);
        var settings = Settings(request, State.Caption!);
        var directory = service.Options.ModelDirectory(request.Model);
        var tiles = service.Options.TilesFor(request);
        var reports = Channel.CreateUnbounded<PipelineProgress>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var work = service.Run(token =>
        {
            reports.Writer.TryWrite(new PipelineProgress(PipelineStage.Denoising, 0, settings.Steps));
            using var model = service.Models.Get(directory, token);
            var pipeline = new GenerationPipeline(model.Model, service.Options.Limits, service.Options.DecodeChunkFrames);
            var progress = new ChannelProgress(reports.Writer);
            using var pixels = given is null ? null : PixelTensor.FromFrames(given);
            var sampled = pipeline.Sample(settings, pixels, progress, token);
            if (tiles is not null) return new Sampled(sampled, FloatTensors.From(sampled.Latent), null);
            using (sampled) return new Sampled(null, null, pipeline.Decode(sampled, progress, token));
        }, cancellationToken);
        _ = work.ContinueWith(_ => reports.Writer.TryComplete(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        await foreach (var report in reports.Reader.ReadAllAsync(CancellationToken.None))
        {
            if (!Unfinished) continue;
            if (State.Phase == GenerationPhase.Queued)
                await Persist(() =>
                {
                    (State.Phase, State.Stage) = (GenerationPhase.Running, GenerationStage.Denoising);
                    State.Attempts++;
                });
            State.Stage = report.Stage == PipelineStage.Denoising ? GenerationStage.Denoising : GenerationStage.Decoding;
            step = report.Stage == PipelineStage.Denoising ? report.Done : settings.Steps;
            Changed();
        }
        var result = await work;
        if (result.Video is { } video) return video;
        using var latent = result.Latent!;
        State.Stage = GenerationStage.Decoding;
        Changed();
        // A decode job of this attempt's own: one an earlier attempt left running elsewhere is not in its way.
        var (decoded, silos) = await TiledGenerationDecode.DecodeAsync(GrainFactory, $"generation/{JobId}/{State.Attempts}",
            request.Model ?? GenerationOptions.DefaultModelName, result.Wire!, latent, tiles!, service.Options.DecodeChunkFrames, cancellationToken);
        State.DecodedOn = [.. silos];
        return decoded;
    }

    /// <summary>What the generation thread hands back: the video it decoded, or the latent (and its wire form) to decode on tiles.</summary>
    private sealed record Sampled(SampledLatent? Latent, FloatTensor? Wire, GeneratedVideo? Video);

    /// <summary>The lossless frames, then the video (MP4, or GIF with a notice), both this attempt's, then the finished status.</summary>
    private async Task Store(GeneratedVideo video)
    {
        var frames = new VideoFrames(video.Width, video.Height, video.Frames, service.Options.Fps, video.Rgb24);
        var framesKey = GenerationArtefacts.FramesKey(JobId, State.Attempts);
        await GenerationArtefacts.StoreNewAsync(store, framesKey, await Task.Run(() => FrameArchive.Encode(frames)));
        var (extension, bytes, notice) = await GenerationArtefacts.EncodeVideoAsync(frames, service.Ffmpeg);
        var videoKey = GenerationArtefacts.VideoKey(JobId, State.Attempts, extension);
        await GenerationArtefacts.StoreNewAsync(store, videoKey, bytes);
        await Finish(() =>
        {
            State.Warnings.AddRange(video.UnknownWords.Distinct().Select(w => $"'{w}' is not in the model's vocabulary"));
            if (video.Truncated) State.Warnings.Add("the caption is longer than the text encoder reads; its end was cut");
            if (notice is not null) State.Warnings.Add(notice);
            (State.Phase, State.Stage, State.VideoKey, State.FramesKey) = (GenerationPhase.Succeeded, GenerationStage.Done, videoKey, framesKey);
        });
    }

    /// <summary>
    /// The job is over, as <paramref name="finish"/> says: stored as such first; only then its work stopped, its place
    /// in the queue freed, its watchers told and its watchdog removed.
    /// </summary>
    private async Task Finish(Action finish)
    {
        await Persist(() =>
        {
            finish();
            State.Finished = DateTimeOffset.UtcNow;
        });
        running?.Cancel();
        service.Release(JobId);
        Changed();
        await StopWatchdog();
    }

    /// <summary>A reminder that cannot be removed now ticks again, finds the job over and is removed then.</summary>
    private async Task StopWatchdog()
    {
        try
        {
            if (await this.GetReminder(Watchdog) is { } reminder) await this.UnregisterReminder(reminder);
        }
        catch (Exception e) when (e is ReminderException or TimeoutException or SiloUnavailableException or OrleansMessageRejectionException)
        {
            logger.LogInformation(e, "Generation job {Job} keeps its watchdog for now", JobId);
        }
    }

    private void EnsureExists()
    {
        if (State.Request is null)
        {
            DeactivateOnIdle();
            throw new GenerationNotFoundException(JobId);
        }
    }

    private GenerationStatus Status() => new(JobId, State.Phase, State.Stage,
        State.Stage is GenerationStage.Decoding or GenerationStage.Writing or GenerationStage.Done ? Request.Steps : step, Request.Steps,
        State.Caption, State.Warnings.ToArray(), State.VideoKey, State.FramesKey, State.Error, State.Created, State.Finished,
        silo.SiloAddress.ToParsableString(), State.DecodedOn?.ToArray());

    /// <summary>
    /// Makes <paramref name="change"/> and stores the state; a failed write puts it back as it was and throws, so the
    /// activation never acts on what storage does not hold. One at a time: overlapping writes would trip each other's etag.
    /// </summary>
    private async Task Persist(Action change)
    {
        await saving.WaitAsync();
        var before = copier.Copy(State);
        try
        {
            change();
            await job.WriteStateAsync();
        }
        catch
        {
            job.State = before;
            throw;
        }
        finally
        {
            saving.Release();
        }
    }

    private void Changed()
    {
        changes.Add(Status());
        var previous = changed;
        changed = NewSignal();
        previous.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class ChannelProgress(ChannelWriter<PipelineProgress> writer) : IProgress<PipelineProgress>
    {
        public void Report(PipelineProgress value) => writer.TryWrite(value);
    }
}
