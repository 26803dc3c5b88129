using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Seaweed.Data.Curation;
using Seaweed.Data.Dataset;
using Seaweed.Data.Store;
using Seaweed.Grains.Compute;

namespace Seaweed.Grains.Curation;

/// <summary>
/// Runs one curation job. Videos go out on the videos stream, at most <see cref="CurationRequest.MaxVideosInFlight"/>
/// at a time; each split's clips go out on the clips stream; a watchdog re-sends any stage silent for longer than the
/// stage timeout (its silo may have died). Progress is persisted at every video boundary, so a reactivated run
/// re-sends only what was in flight. When every video is done or failed, the dataset is planned and written.
/// </summary>
public sealed class CurationRunGrain(
    [PersistentState("curation-run", SeaweedStorage.Name)] IPersistentState<CurationRunState> run,
    IArtefactStore store,
    CurationOptions options,
    CpuWorkerPool workers,
    ILogger<CurationRunGrain> logger) : Grain, ICurationRunGrain
{
    public static readonly TimeSpan DefaultStageTimeout = TimeSpan.FromMinutes(2);

    private readonly Dictionary<string, string> videoOfClip = new(StringComparer.Ordinal);
    private IGrainTimer? watchdog;
    private IGrainTimer? writer;
    private bool writing;

    private string RunId => this.GetPrimaryKeyString();
    private CurationRunState State => run.State;
    private CurationRequest Request => State.Request!;
    private TimeSpan StageTimeout => Request.StageTimeout ?? DefaultStageTimeout;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var video in State.Videos.Values)
            foreach (var clip in video.Clips.Values)
                videoOfClip[clip.ClipId] = clip.VideoId;
        if (State.Phase == CurationPhase.Running)
        {
            // Whatever was in flight when the previous activation ended may never report: send it again.
            foreach (var (id, video) in State.Videos)
                if (video.Stage == VideoStage.Splitting) await SendSplit(id, video);
                else if (video.Stage == VideoStage.Curating)
                    foreach (var (clipId, progress) in video.ClipProgress)
                        if (!progress.Done) await SendClip(video.Clips[clipId], progress);
            await Pump();
            // The attempts just spent count, even if this activation dies too.
            await run.WriteStateAsync();
            StartWatchdog();
        }
        else if (State.Phase == CurationPhase.Writing) StartWriting();
    }

    public async Task<CurationStatus> Start(CurationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (State.Request is not null)
        {
            if (!SameRequest(State.Request, request))
                throw new ArgumentException($"run '{RunId}' was started with another request; use a new run id", nameof(request));
            return Status();
        }
        if (RunId.Contains('/')) throw new ArgumentException($"run id '{RunId}' must be one artefact key segment, without '/'", "runId");
        ArtefactKey.Validate(RunId, "runId");
        Validate(request);
        State.Request = request;
        State.Phase = CurationPhase.Running;
        State.Videos = request.Inputs.ToDictionary(i => i.VideoId, i => new VideoProgress { Key = i.Key }, StringComparer.Ordinal);
        await run.WriteStateAsync();
        await Pump();
        StartWatchdog();
        return Status();
    }

    public Task<CurationStatus> GetStatus() => Task.FromResult(Status());

    public async Task VideoSplit(string videoId, int attempt, IReadOnlyList<ClipTask> clips)
    {
        if (!State.Videos.TryGetValue(videoId, out var video) || video.Stage != VideoStage.Splitting) return;
        video.Clips = clips.ToDictionary(c => c.ClipId, StringComparer.Ordinal);
        video.ClipProgress = clips.ToDictionary(c => c.ClipId, _ => new ItemProgress(), StringComparer.Ordinal);
        video.Stage = VideoStage.Curating;
        foreach (var clip in clips)
        {
            videoOfClip[clip.ClipId] = videoId;
            await SendClip(clip, video.ClipProgress[clip.ClipId]);
        }
        await AfterProgress(video, persist: true);
    }

    public async Task VideoFailed(string videoId, int attempt, string reason, bool retryable)
    {
        // A failure of an attempt that has since been superseded says nothing about the live one.
        if (!State.Videos.TryGetValue(videoId, out var video) || video.Stage != VideoStage.Splitting || attempt != video.Split.Attempts) return;
        if (retryable && video.Split.Attempts < Request.MaxAttempts)
        {
            State.Retries++;
            await SendSplit(videoId, video);
            return;
        }
        video.Split.Failure = reason;
        video.Stage = VideoStage.Failed;
        await AfterProgress(video, persist: true);
    }

    public async Task ClipCurated(string clipId, int attempt, string silo)
    {
        if (Find(clipId) is not var (video, progress) || progress.Done) return;
        progress.Done = true;
        State.ClipsBySilo[silo] = State.ClipsBySilo.GetValueOrDefault(silo) + 1;
        await AfterProgress(video);
    }

    public async Task ClipFailed(string clipId, int attempt, string reason, bool retryable)
    {
        if (Find(clipId) is not var (video, progress) || progress.Done || attempt != progress.Attempts) return;
        if (retryable && progress.Attempts < Request.MaxAttempts)
        {
            State.Retries++;
            await SendClip(video.Clips[clipId], progress);
            return;
        }
        progress.Failure = reason;
        progress.Done = true;
        await AfterProgress(video);
    }

    private (VideoProgress Video, ItemProgress Progress)? Find(string clipId) =>
        videoOfClip.TryGetValue(clipId, out var videoId) && State.Videos[videoId].ClipProgress.TryGetValue(clipId, out var progress)
            ? (State.Videos[videoId], progress)
            : null;

    /// <summary>
    /// Closes a video whose every clip is done and refills the window; after the last video, starts writing. State is
    /// persisted at video boundaries only: a clip finished since then is simply redone after a restart.
    /// </summary>
    private async Task AfterProgress(VideoProgress video, bool persist = false)
    {
        if (video.Stage == VideoStage.Curating && video.ClipProgress.Values.All(p => p.Done))
        {
            video.Stage = VideoStage.Done;
            persist = true;
        }
        if (!persist) return;
        if (State.Videos.Values.All(v => v.Stage is VideoStage.Done or VideoStage.Failed))
        {
            State.Phase = CurationPhase.Writing;
            // Written even if persisting fails: a failed report is not repeated once its clip counts as done.
            try { await run.WriteStateAsync(); }
            finally { StartWriting(); }
            return;
        }
        await Pump();
        await run.WriteStateAsync();
    }

    /// <summary>Sends pending videos while fewer than the window are between split and their last clip.</summary>
    private async Task Pump()
    {
        int inFlight = InFlight();
        foreach (var (id, video) in State.Videos.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            if (inFlight >= Request.MaxVideosInFlight) break;
            if (video.Stage != VideoStage.Pending) continue;
            await SendSplit(id, video);
            inFlight++;
        }
        State.MaxVideosInFlightSeen = Math.Max(State.MaxVideosInFlightSeen, inFlight);
    }

    private int InFlight() => State.Videos.Values.Count(v => v.Stage is VideoStage.Splitting or VideoStage.Curating);

    private Task SendSplit(string videoId, VideoProgress video)
    {
        video.Stage = VideoStage.Splitting;
        video.Split.Attempts++;
        video.Split.SentUtc = DateTime.UtcNow;
        return Publish(CurationStreams.Videos, videoId, new VideoTask(RunId, videoId, video.Key, video.Split.Attempts));
    }

    private Task SendClip(ClipTask clip, ItemProgress progress)
    {
        progress.Attempts++;
        progress.SentUtc = DateTime.UtcNow;
        return Publish(CurationStreams.Clips, clip.ClipId, clip with { Attempt = progress.Attempts });
    }

    private Task Publish<T>(string streamNamespace, string itemId, T item) =>
        this.GetStreamProvider(CurationStreams.Provider)
            .GetStream<T>(StreamId.Create(streamNamespace, CurationStreams.Key(RunId, itemId)))
            .OnNextAsync(item);

    private void StartWatchdog()
    {
        var period = TimeSpan.FromTicks(Math.Clamp(StageTimeout.Ticks / 4, TimeSpan.FromMilliseconds(100).Ticks, TimeSpan.FromSeconds(5).Ticks));
        watchdog ??= this.RegisterGrainTimer(ResendSilent, new GrainTimerCreationOptions { DueTime = period, Period = period, KeepAlive = true });
    }

    /// <summary>A stage that has not answered within the timeout counts as a retryable failure.</summary>
    private async Task ResendSilent(CancellationToken cancellationToken)
    {
        if (State.Phase != CurationPhase.Running) return;
        var deadline = DateTime.UtcNow - StageTimeout;
        string silent = $"no answer within {StageTimeout.TotalSeconds:F0} s";
        foreach (var (id, video) in State.Videos.ToArray())
        {
            if (video.Stage == VideoStage.Splitting && video.Split.SentUtc < deadline) await VideoFailed(id, video.Split.Attempts, silent, retryable: true);
            else if (video.Stage == VideoStage.Curating)
                foreach (var (clipId, progress) in video.ClipProgress.ToArray())
                    if (!progress.Done && progress.SentUtc < deadline) await ClipFailed(clipId, progress.Attempts, silent, retryable: true);
        }
    }

    private void StartWriting()
    {
        if (writing) return;
        writing = true;
        watchdog?.Dispose();
        watchdog = null;
        // Interleaved, so status queries are answered while the dataset is written.
        writer = this.RegisterGrainTimer(WriteDataset, new GrainTimerCreationOptions { DueTime = TimeSpan.Zero, Period = Timeout.InfiniteTimeSpan, Interleave = true, KeepAlive = true });
    }

    /// <summary>
    /// Plans and writes the dataset, persists the outcome, and only then removes the run's intermediate frames, so a
    /// restart before the outcome is stored writes the same dataset again. Until then the status says Writing.
    /// </summary>
    private async Task WriteDataset(CancellationToken cancellationToken)
    {
        var clipIds = State.Videos.Values
            .SelectMany(v => v.ClipProgress.Where(p => p.Value.Done && p.Value.Failure is null).Select(p => p.Key))
            .ToArray();
        var commit = new CurationCommit(store, workers, options, RunId);
        if (clipIds.Length == 0)
        {
            State.Error = "no clip could be curated, so no dataset was written; see the failures";
            State.Phase = CurationPhase.Failed;
        }
        else
        {
            try
            {
                var (dataset, overwrite) = (Request.Dataset, Request.Overwrite);
                var (counts, written) = await commit.WriteAsync(clipIds, dataset, overwrite, cancellationToken);
                State.Counts = counts;
                State.ManifestKey = written.ManifestKey;
                State.DatasetUnchanged = written.Unchanged;
                State.Phase = CurationPhase.Completed;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Curation run {RunId} could not write dataset {Dataset}", RunId, Request.Dataset);
                State.Error = StageFailure.Describe(e);
                State.Phase = CurationPhase.Failed;
            }
        }
        await run.WriteStateAsync();
        writing = false;
        writer?.Dispose();
        await commit.RemoveIntermediatesAsync(cancellationToken);
    }

    private CurationStatus Status()
    {
        var videos = State.Videos.Values;
        var clips = videos.SelectMany(v => v.ClipProgress.Values).ToArray();
        var failures = State.Videos
            .Where(v => v.Value.Split.Failure is not null).Select(v => new CurationFailure(v.Key, v.Value.Split.Failure!))
            .Concat(videos.SelectMany(v => v.ClipProgress.Where(p => p.Value.Failure is not null).Select(p => new CurationFailure(p.Key, p.Value.Failure!))))
            .OrderBy(f => f.Item, StringComparer.Ordinal)
            .ToArray();
        return new CurationStatus(RunId, writing ? CurationPhase.Writing : State.Phase, videos.Count,
            videos.Count(v => v.Stage == VideoStage.Done), videos.Count(v => v.Stage == VideoStage.Failed),
            clips.Length, clips.Count(c => c.Done && c.Failure is null), clips.Count(c => c.Failure is not null),
            State.Request is null ? 0 : InFlight(), State.MaxVideosInFlightSeen, State.Retries, failures,
            State.Counts, State.ManifestKey, State.DatasetUnchanged, State.Error,
            new SortedDictionary<string, int>(State.ClipsBySilo, StringComparer.Ordinal));
    }

    private static bool SameRequest(CurationRequest a, CurationRequest b) =>
        a with { Inputs = [] } == b with { Inputs = [] } && a.Inputs.SequenceEqual(b.Inputs);

    private static void Validate(CurationRequest request)
    {
        if (request.Inputs is null || request.Inputs.Count == 0) throw new ArgumentException("Inputs: at least one input video is required", nameof(request));
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var input in request.Inputs)
        {
            if (input is null) throw new ArgumentException("Inputs: an input is null", nameof(request));
            ArtefactKey.Validate(input.Key, "Inputs.Key");
            if (string.IsNullOrEmpty(input.VideoId) || input.VideoId.Contains('/')) throw new ArgumentException($"Inputs.VideoId: '{input.VideoId}' must be one key segment", nameof(request));
            ArtefactKey.Validate(input.VideoId, "Inputs.VideoId");
            if (!ids.Add(input.VideoId)) throw new ArgumentException($"Inputs.VideoId: '{input.VideoId}' appears more than once", nameof(request));
        }
        DatasetWriter.ValidateName(request.Dataset, "Dataset");
        if (request.MaxVideosInFlight <= 0) throw new ArgumentException($"MaxVideosInFlight: {request.MaxVideosInFlight} must be positive", nameof(request));
        if (request.MaxAttempts <= 0) throw new ArgumentException($"MaxAttempts: {request.MaxAttempts} must be positive", nameof(request));
        if (request.StageTimeout is { } t && (t <= TimeSpan.Zero || t > TimeSpan.FromDays(1)))
            throw new ArgumentException($"StageTimeout: {t} must be positive and at most a day", nameof(request));
    }
}
