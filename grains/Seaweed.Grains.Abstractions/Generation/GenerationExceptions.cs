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

/// <summary>
/// A request field is out of range or off the model's grid: an ArgumentException whose <see cref="ParamName"/>
/// (the field) survives the trip to the caller, which a plain ArgumentException's does not.
/// </summary>
[GenerateSerializer, Alias("seaweed.generation.bad-input")]
public sealed class GenerationInputException(string field, string reason) : ArgumentException(reason, field)
{
    [Id(0)] public string Field { get; } = field;
    [Id(1)] public string Reason { get; } = reason;

    public override string ParamName => Field;
    public override string Message => $"{Field}: {Reason}";
}
