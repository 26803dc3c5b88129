namespace Seaweed.Grains.Generation;

/// <summary>No job was ever submitted under this id.</summary>
[GenerateSerializer, Alias("seaweed.generation.not-found")]
public sealed class GenerationNotFoundException(string jobId) : Exception($"no generation job '{jobId}'")
{
    [Id(0)] public string JobId { get; } = jobId;
}

/// <summary>A job id already holds a different request.</summary>
[GenerateSerializer, Alias("seaweed.generation.conflict")]
public sealed class GenerationConflictException(string jobId)
    : Exception($"generation job '{jobId}' already holds a different request")
{
    [Id(0)] public string JobId { get; } = jobId;
}

/// <summary>The silo's generation queue is full; try again later.</summary>
[GenerateSerializer, Alias("seaweed.generation.queue-full")]
public sealed class GenerationQueueFullException(int capacity)
    : Exception($"the generation queue is full ({capacity} jobs); try again later")
{
    [Id(0)] public int Capacity { get; } = capacity;
}
