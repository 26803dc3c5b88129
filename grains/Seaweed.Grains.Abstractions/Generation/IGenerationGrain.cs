namespace Seaweed.Grains.Generation;

/// <summary>
/// One generation job (key: job id) from prompt to stored video. Its status is persisted: a job whose silo dies is
/// taken up again elsewhere, never lost and never stored twice.
/// </summary>
public interface IGenerationGrain : IGrainWithStringKey
{
    /// <summary>Queues the job. Submitting the same request again returns its status and changes nothing; another
    /// request under the same id throws <see cref="GenerationConflictException"/>; a full queue throws
    /// <see cref="GenerationQueueFullException"/>; bad input throws an ArgumentException naming the field.</summary>
    Task<GenerationStatus> Submit(GenerationRequest request);

    /// <summary>The job's status; an id never submitted throws <see cref="GenerationNotFoundException"/>.</summary>
    Task<GenerationStatus> GetStatus();

    /// <summary>Cancels a queued or running job; a finished job is left as it is.</summary>
    Task<GenerationStatus> Cancel();

    /// <summary>The status now, then every change until the job finishes.</summary>
    IAsyncEnumerable<GenerationStatus> Watch(CancellationToken cancellationToken = default);
}
