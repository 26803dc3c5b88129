using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Seaweed.Data.Store;
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
    ILocalSiloDetails silo,
    ILogger<TrainingRunGrain> logger) : Grain, ITrainingRunGrain
{
    public static readonly TimeSpan DefaultStepTimeout = TimeSpan.FromMinutes(10);

    private TrainingConfig? config;
    private RankGroup? group;
    private IGrainTimer? driver;
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
        if (State.Phase is TrainingPhase.Assembling or TrainingPhase.Running) StartDriver();
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
                // Resuming a failed run: from its last checkpoint, with a fresh restart budget.
                (State.Phase, State.Error, State.Restarts) = (TrainingPhase.Assembling, null, 0);
                await run.WriteStateAsync();
                StartDriver();
            }
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

    public Task<TrainingProgress> GetProgress() => Task.FromResult(Progress());

    public Task<IReadOnlyList<StepRecord>> GetHistory() => Task.FromResult<IReadOnlyList<StepRecord>>(State.History.ToArray());

    private void StartDriver() =>
        driver ??= this.RegisterGrainTimer(Drive, new GrainTimerCreationOptions { DueTime = TimeSpan.Zero, Period = Timeout.InfiniteTimeSpan, Interleave = true, KeepAlive = true });

    /// <summary>Epochs until the run completes, fails for good, or spends its restarts.</summary>
    private async Task Drive(CancellationToken cancellationToken)
    {
        group = new RankGroup(GrainFactory, membership, metadata, RunId, Config.Parallel.Ranks);
        group.Remember(State.Ranks);
        string? cause = State.Resumes.Count == 0 ? null : "the run was reactivated";
        try
        {
            while (true)
            {
                try
                {
                    await RunEpoch(cause, cancellationToken);
                    return;
                }
                catch (RankFailureException e) when (!cancellationToken.IsCancellationRequested)
                {
                    logger.LogWarning("Training run {RunId} epoch {Epoch} failed: {Reason}", RunId, State.Epoch, e.Message);
                    await group.AbortAll(State.Epoch);
                    if (e.Permanent || State.Restarts >= Request.MaxRestarts)
                    {
                        await Fail(e.Permanent ? e.Message : $"{e.Message} (after {State.Restarts} restarts)");
                        return;
                    }
                    State.Restarts++;
                    cause = e.Message;
                }
            }
        }
        catch (Exception e) when (e is ConfigException or ArgumentException or InvalidDataException or ArtefactExistsException)
        {
            // Nothing a restart would change: a checkpoint of another config or layout, a store in the way.
            await Fail(e.Message);
        }
        finally
        {
            driver?.Dispose();
            driver = null;
        }
    }

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
    /// The newest committed checkpoint whose manifest and shards verify (searched off the scheduler: it hashes every
    /// shard). Newer ones that do not verify are uncommitted (their manifest removed) so that the replay can commit
    /// those steps again; they are recorded with the reason.
    /// </summary>
    private async Task<(CheckpointManifest? Latest, IReadOnlyList<string> Skipped)> Resume(CancellationToken cancellationToken)
    {
        var search = await Task.Run(() => TrainingCheckpoint.FindLatestAsync(store, RunId, cancellationToken), cancellationToken);
        foreach (var (step, _) in search.Skipped)
            await store.DeleteAsync(TrainingCheckpoint.ManifestKey(RunId, step), cancellationToken);
        if (search.Latest is { } latest) TrainingCheckpoint.CheckResumable(latest, Config);
        return (search.Latest, search.Skipped.Select(s => $"step {s.Step}: {s.Reason}").ToArray());
    }

    /// <summary>Every rank writes its shard; the manifest, written last, commits them; then old checkpoints go.</summary>
    private async Task Checkpoint(int epoch, long step, CancellationToken cancellationToken)
    {
        var shards = await group!.Save(epoch, step, StepTimeout, cancellationToken);
        var entries = shards.Select(s => new ShardEntry(s.Rank, s.Key, s.Bytes, s.Sha256)).ToArray();
        var cursor = new DataCursor(shards[0].Images, shards[0].Videos);
        await TrainingCheckpoint.CommitAsync(store, TrainingCheckpoint.Manifest(Config, RunId, step, cursor, entries), cancellationToken);
        (State.Step, State.CheckpointStep) = (step, step);
        await run.WriteStateAsync();
        await Task.Run(() => TrainingCheckpoint.PruneAsync(store, RunId, Config.Checkpoints.Keep, cancellationToken), cancellationToken);
    }

    private async Task Fail(string reason)
    {
        logger.LogError("Training run {RunId} failed: {Reason}", RunId, reason);
        (State.Phase, State.Error) = (TrainingPhase.Failed, reason);
        await run.WriteStateAsync();
        if (group is not null) await group.ReleaseAll();
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
