using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Seaweed.Data.Store;
using Seaweed.Grains.Compute;
using Seaweed.Model;
using Seaweed.Parallel.Collectives;
using Seaweed.Training;
using Seaweed.Training.Checkpoints;
using Seaweed.Training.Samples;

namespace Seaweed.Grains.Training;

/// <summary>
/// Runs one training job. A driver (an interleaved timer, so progress queries are answered meanwhile) assembles the
/// rank group for a new epoch from the newest checkpoint that verifies, steps every rank through each step, commits
/// a checkpoint every <c>checkpoints.every</c> steps (shards by the ranks, then the manifest here), and on a rank
/// failure aborts the epoch and assembles again. A reactivated run (its silo died) carries on the same way.
/// </summary>
public sealed class TrainingRunGrain(
    [PersistentState("training-run", SeaweedStorage.Name)] IPersistentState<TrainingRunState> run,
    IArtefactStore store,
    IClusterMembershipService membership,
    ISiloMetadataCache metadata,
    CpuWorkerPool workers,
    ILocalSiloDetails silo,
    SiloStopping siloStopping,
    ILogger<TrainingRunGrain> logger) : Grain, ITrainingRunGrain
{
    public static readonly TimeSpan DefaultStepTimeout = TimeSpan.FromMinutes(10);

    private TrainingConfig? config;
    private RankGroup? group;
    private IGrainTimer? driver;
    private Task driving = Task.CompletedTask;
    private StepRecord? last;
    private long taken;

    private string RunId => this.GetPrimaryKeyString();
    private TrainingRunState State => run.State;
    private TrainingRunRequest Request => State.Request!;
    private TrainingConfig Config => config ??= ParseConfig(Request);
    private TimeSpan StepTimeout => Request.StepTimeout ?? DefaultStepTimeout;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        taken = State.Step;
        last = State.History.LastOrDefault();
        return Task.CompletedTask;
    }

    public async Task<TrainingProgress> Start(TrainingRunRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (State.Request is { } started)
        {
            if (started != request) throw new ArgumentException($"run '{RunId}' was started with another request; use a new run id", nameof(request));
            if (State.Phase == TrainingPhase.Failed)
            {
                // A driver still failing the run (releasing its ranks) ends first: it would not see the resume.
                await driving;
                // Resuming a failed run: from its last checkpoint, with a fresh restart budget.
                (State.Phase, State.Error, State.Restarts) = (TrainingPhase.Assembling, null, 0);
                await run.WriteStateAsync();
                StartDriver();
            }
            CarryOn();
            return Progress();
        }
        TrainingCheckpoint.ValidateRunId(RunId);
        Validate(request);
        config = ParseConfig(request);
        (State.Request, State.Phase) = (request, TrainingPhase.Assembling);
        await run.WriteStateAsync();
        StartDriver();
        return Progress();
    }

    public Task<TrainingProgress> GetProgress()
    {
        CarryOn();
        return Task.FromResult(Progress());
    }

    public Task<TrainingProgress> Inspect() => Task.FromResult(Progress());

    public Task<IReadOnlyList<StepRecord>> GetHistory()
    {
        CarryOn();
        return Task.FromResult<IReadOnlyList<StepRecord>>(State.History.ToArray());
    }

    /// <summary>A run that was interrupted (its activation ended mid-run) is driven on again.</summary>
    private void CarryOn()
    {
        if (State.Phase is TrainingPhase.Assembling or TrainingPhase.Running) StartDriver();
    }

    private void StartDriver()
    {
        if (driver is not null) return;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        driving = done.Task;
        driver = this.RegisterGrainTimer(cancellationToken => Drive(done, cancellationToken),
            new GrainTimerCreationOptions { DueTime = TimeSpan.Zero, Period = Timeout.InfiniteTimeSpan, Interleave = true, KeepAlive = true });
    }

    /// <summary>
    /// Epochs until the run completes, fails for good, or spends its restarts. Any failure but a permanent one (a rank,
    /// the store, the grain storage) costs a restart; whatever happens, the driver is cleared at the end.
    /// </summary>
    private async Task Drive(TaskCompletionSource done, CancellationToken cancellationToken)
    {
        try
        {
            group = new RankGroup(GrainFactory, membership, metadata, RunId, Config.Parallel.Ranks);
            group.Remember(State.Ranks);
            string? cause = State.Resumes.Count == 0 ? null : "the run was reactivated";
            while (true)
            {
                try
                {
                    await RunEpoch(cause, cancellationToken);
                    return;
                }
                catch (Exception e) when (!IsPermanent(e) && !cancellationToken.IsCancellationRequested && !siloStopping.IsStopping)
                {
                    string reason = e is RankFailureException ? e.Message : $"{e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}";
                    logger.LogWarning(e, "Training run {RunId} epoch {Epoch} failed: {Reason}", RunId, State.Epoch, reason);
                    await group.AbortAll(State.Epoch);
                    bool permanent = e is RankFailureException { Permanent: true };
                    if (permanent || State.Restarts >= Request.MaxRestarts)
                    {
                        await Fail(permanent ? reason : $"{reason} (after {State.Restarts} restarts)");
                        return;
                    }
                    State.Restarts++;
                    cause = reason;
                }
            }
        }
        catch (Exception e) when (siloStopping.IsStopping)
        {
            // Neither a restart nor a failure of the run: the activation that follows on another silo drives it on.
            logger.LogInformation("Training run {RunId} epoch {Epoch} ended with its silo: {Reason}", RunId, State.Epoch, e.Message);
        }
        catch (Exception e) when (IsPermanent(e))
        {
            await Fail(e.Message);
        }
        finally
        {
            driver?.Dispose();
            driver = null;
            done.TrySetResult();
        }
    }

    /// <summary>Nothing a restart would change: a bad config, a checkpoint of another config or layout, a store in the way.</summary>
    private static bool IsPermanent(Exception e) => e is ConfigException or ArgumentException or InvalidDataException or ArtefactExistsException;

    private async Task RunEpoch(string? cause, CancellationToken cancellationToken)
    {
        var (resume, skipped) = await Resume(cancellationToken);
        State.Phase = TrainingPhase.Assembling;
        State.Epoch++;
        State.Step = taken = resume?.Step ?? 0;
        State.CheckpointStep = resume?.Step;
        State.History.RemoveAll(h => h.Step > taken);
        last = State.History.LastOrDefault();
        State.Resumes.Add(new ResumeRecord(State.Epoch, cause, resume?.Step, skipped));
        await run.WriteStateAsync();

        int epoch = State.Epoch;
        var collectives = new CollectiveOptions();
        var timeout = Request.CollectiveTimeout ?? collectives.Timeout;
        await group!.Assemble(epoch, rank => new RankSetup(RunId, rank, Config.Parallel.Ranks, epoch, Request.Trainer, Request.Config, Request.BaseDirectory,
            resume?.Step, timeout, collectives.MaxMessageBytes), StepTimeout, cancellationToken);
        State.Ranks = group.Ready.Values.OrderBy(r => r.Rank).ToList();
        State.Phase = TrainingPhase.Running;
        await run.WriteStateAsync();

        var curriculum = new Curriculum(Config);
        for (long step = taken; step < Config.Steps; step++)
        {
            var watch = Stopwatch.StartNew();
            var reports = await group.Step(epoch, step, StepTimeout, cancellationToken);
            taken = step + 1;
            last = new StepRecord(taken, curriculum.At(step).Name, reports.Average(r => r.Loss), reports.Sum(r => r.Tokens), watch.Elapsed.TotalSeconds);
            State.History.Add(last);
            if (taken % Config.Checkpoints.Every == 0 || taken == Config.Steps) await Checkpoint(epoch, taken, cancellationToken);
        }
        State.Phase = TrainingPhase.Completed;
        await run.WriteStateAsync();
        await group.ReleaseAll();
    }

    /// <summary>
    /// The newest committed checkpoint whose manifest and shards verify (searched on the CPU workers: it hashes every
    /// shard). Newer ones that do not verify are uncommitted (their manifest moved aside, kept as evidence) so that the
    /// replay can commit those steps again; they are recorded with the reason.
    /// </summary>
    private async Task<(CheckpointManifest? Latest, IReadOnlyList<string> Skipped)> Resume(CancellationToken cancellationToken)
    {
        var search = await workers.Run(() => TrainingCheckpoint.FindLatestAsync(store, RunId, cancellationToken).GetAwaiter().GetResult(), cancellationToken);
        foreach (var (step, _) in search.Skipped) await Reject(step, State.Epoch + 1, cancellationToken);
        if (search.Latest is { } latest) TrainingCheckpoint.CheckResumable(latest, Config);
        return (search.Latest, search.Skipped.Select(s => $"step {s.Step}: {s.Reason}").ToArray());
    }

    /// <summary>Uncommits the checkpoint after <paramref name="step"/> steps by moving its manifest to
    /// <c>manifest.rejected-{epoch}.json</c> beside its shards.</summary>
    private async Task Reject(long step, int epoch, CancellationToken cancellationToken)
    {
        string key = TrainingCheckpoint.ManifestKey(RunId, step);
        if (!await store.ExistsAsync(key, cancellationToken)) return;
        var manifest = await store.ReadAllBytesAsync(key, cancellationToken);
        string rejected = $"{TrainingCheckpoint.StepPrefix(RunId, step)}manifest.rejected-{epoch.ToString(CultureInfo.InvariantCulture)}.json";
        await store.WriteAsync(rejected, new MemoryStream(manifest, writable: false), ArtefactWriteMode.Overwrite, cancellationToken);
        await store.DeleteAsync(key, cancellationToken);
    }

    /// <summary>Every rank writes its shard; the manifest, written last, commits them; then old checkpoints go.</summary>
    private async Task Checkpoint(int epoch, long step, CancellationToken cancellationToken)
    {
        var shards = await group!.Save(epoch, step, StepTimeout, cancellationToken);
        var entries = shards.Select(s => new ShardEntry(s.Rank, s.Key, s.Bytes, s.Sha256)).ToArray();
        await TrainingCheckpoint.CommitAsync(store, TrainingCheckpoint.Manifest(Config, RunId, step, Cursor(step, shards), entries), cancellationToken);
        (State.Step, State.CheckpointStep) = (step, step);
        await run.WriteStateAsync();
        await workers.Run(() => TrainingCheckpoint.PruneAsync(store, RunId, Config.Checkpoints.Keep, cancellationToken).GetAwaiter().GetResult(), cancellationToken);
    }

    /// <summary>The data drawn after <paramref name="step"/> steps, which every rank draws alike; ranks that disagree
    /// would resume on different data, so the run fails rather than commit it.</summary>
    private static DataCursor Cursor(long step, IReadOnlyList<RankShard> shards)
    {
        var cursors = shards.Select(s => new DataCursor(s.Images, s.Videos)).Distinct().ToArray();
        if (cursors.Length == 1) return cursors[0];
        throw new RankFailureException($"checkpoint {step}: the ranks' data cursors differ ("
            + string.Join("; ", shards.Select(s => $"rank {s.Rank}: {s.Images} images, {s.Videos} videos")) + ")", permanent: true);
    }

    private async Task Fail(string reason)
    {
        logger.LogError("Training run {RunId} failed: {Reason}", RunId, reason);
        // Devices go back before the run reads as failed, so whoever sees Failed can start the next run on them.
        if (group is not null) await group.ReleaseAll();
        (State.Phase, State.Error) = (TrainingPhase.Failed, reason);
        await run.WriteStateAsync();
    }

    private TrainingProgress Progress()
    {
        var stages = State.Request is null ? null : new Curriculum(Config);
        string? stage = stages is null ? null : stages.At(Math.Min(taken, stages.TotalSteps - 1)).Name;
        var ranks = State.Ranks.Select(r => new RankPlacement(r.Rank, r.Silo, r.Device)).ToArray();
        return new TrainingProgress(RunId, State.Phase, stage, taken, State.Request is null ? 0 : Config.Steps, last?.Loss, last?.TokensPerSecond ?? 0,
            State.CheckpointStep, State.Epoch, State.Restarts, silo.SiloAddress.ToParsableString(), ranks, State.Resumes.ToArray(), State.Error);
    }

    private void Validate(TrainingRunRequest request)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Trainer, nameof(request.Trainer));
        // Silos of one cluster register the same trainers: one this silo lacks would be refused by every rank.
        if (ServiceProvider.GetKeyedService<IRankTrainerFactory>(request.Trainer) is null)
            throw new ArgumentException($"Trainer: no trainer named '{request.Trainer}' is registered", nameof(request));
        if (request.StepTimeout is { } s && s <= TimeSpan.Zero) throw new ArgumentException($"StepTimeout: {s} must be positive", nameof(request));
        if (request.CollectiveTimeout is { } c && c <= TimeSpan.Zero) throw new ArgumentException($"CollectiveTimeout: {c} must be positive", nameof(request));
        if (request.MaxRestarts < 0) throw new ArgumentException($"MaxRestarts: {request.MaxRestarts} must not be negative", nameof(request));
    }

    /// <summary>The config, its errors reported as argument errors naming the field (they cross the grain boundary).</summary>
    private static TrainingConfig ParseConfig(TrainingRunRequest request)
    {
        try
        {
            return TrainingConfig.FromJson(request.Config, request.BaseDirectory);
        }
        catch (ConfigException e)
        {
            throw new ArgumentException($"Config.{e.Field}: {e.Reason}", nameof(request));
        }
    }
}
