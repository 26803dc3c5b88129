using System.Runtime.CompilerServices;
using Seaweed.Data.Store;
using Seaweed.Grains;
using Seaweed.Grains.Generation;

namespace Seaweed.Silo.Tests.Fakes;

[GenerateSerializer, Alias("seaweed.tests.fake-job")]
public sealed class FakeJob
{
    [Id(0)] public GenerationRequest? Request { get; set; }
    [Id(1)] public GenerationStatus? Status { get; set; }
}

/// <summary>
/// A generation job that takes no model: it keeps its request and status in the Seaweed grain storage, goes
/// through its steps on a timer, then stores a small GIF as its video. The prompt <see cref="QueueFullPrompt"/>
/// is refused as a full queue. It tests the HTTP layer apart from the model.
/// </summary>
public sealed class FakeGenerationGrain([PersistentState("job", SeaweedStorage.Name)] IPersistentState<FakeJob> job, IArtefactStore store)
    : Grain, IGenerationGrain
{
    public const string QueueFullPrompt = "fill the queue";
    public static readonly byte[] Video = "GIF89a fake video"u8.ToArray();

    private IGrainTimer? timer;

    public async Task<GenerationStatus> Submit(GenerationRequest request)
    {
        if (job.State.Request is { } existing)
            return existing == request ? job.State.Status! : throw new GenerationConflictException(this.GetPrimaryKeyString());
        if (request.Prompt == QueueFullPrompt) throw new GenerationQueueFullException(1);
        job.State.Request = request;
        job.State.Status = new GenerationStatus(this.GetPrimaryKeyString(), GenerationPhase.Queued, GenerationStage.Waiting, 0, request.Steps,
            request.Prompt.ToLowerInvariant(), [], null, null, null, DateTimeOffset.UtcNow, null);
        await job.WriteStateAsync();
        timer = this.RegisterGrainTimer(Advance, new GrainTimerCreationOptions { DueTime = TimeSpan.FromMilliseconds(50), Period = TimeSpan.FromMilliseconds(50) });
        return job.State.Status;
    }

    public Task<GenerationStatus> GetStatus() => Task.FromResult(job.State.Status ?? throw new GenerationNotFoundException(this.GetPrimaryKeyString()));

    public async Task<GenerationStatus> Cancel()
    {
        var status = await GetStatus();
        if (status.IsFinished) return status;
        timer?.Dispose();
        job.State.Status = status with { Phase = GenerationPhase.Cancelled, Finished = DateTimeOffset.UtcNow };
        await job.WriteStateAsync();
        return job.State.Status;
    }

    public async IAsyncEnumerable<GenerationStatus> Watch([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var last = await GetStatus();
        yield return last;
        while (!last.IsFinished)
        {
            await Task.Delay(20, cancellationToken);
            if (job.State.Status! == last) continue;
            last = job.State.Status!;
            yield return last;
        }
    }

    private async Task Advance(CancellationToken cancellationToken)
    {
        var s = job.State.Status!;
        if (s.Step < s.Steps)
            job.State.Status = s with { Phase = GenerationPhase.Running, Stage = GenerationStage.Denoising, Step = s.Step + 1 };
        else
        {
            string key = $"videos/{s.JobId}.gif";
            await store.WriteAsync(key, new MemoryStream(Video), ArtefactWriteMode.Overwrite, cancellationToken);
            job.State.Status = s with { Phase = GenerationPhase.Succeeded, Stage = GenerationStage.Done, VideoKey = key, Finished = DateTimeOffset.UtcNow };
        }
        await job.WriteStateAsync(cancellationToken);
        if (job.State.Status.IsFinished) timer?.Dispose();
    }
}
