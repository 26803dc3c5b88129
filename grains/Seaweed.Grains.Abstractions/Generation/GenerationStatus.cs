namespace Seaweed.Grains.Generation;

[GenerateSerializer, Alias("seaweed.generation.phase")]
public enum GenerationPhase { Queued, Running, Succeeded, Failed, Cancelled }

/// <summary>Where a job is: denoising (steps done of steps) or decoding the latent into frames.</summary>
[GenerateSerializer, Alias("seaweed.generation.stage")]
public enum GenerationStage { Waiting, Denoising, Decoding, Writing, Done }

/// <summary>
/// A job's persisted status. <see cref="Caption"/> is the prompt as the rephraser normalised it and
/// <see cref="Warnings"/> what it could not place; once succeeded, <see cref="VideoKey"/> names the video artefact
/// (MP4, or GIF where ffmpeg is missing) and <see cref="FramesKey"/> the lossless frames a continuation reads.
/// <see cref="Silo"/> is the silo whose activation answered (the one running the job while it runs);
/// <see cref="DecodedOn"/> the silos a tiled decode's tiles ran on (null when the job's silo decoded it whole).
/// </summary>
[GenerateSerializer, Immutable, Alias("seaweed.generation.status")]
public sealed record GenerationStatus(
    string JobId,
    GenerationPhase Phase,
    GenerationStage Stage,
    int Step,
    int Steps,
    string? Caption,
    IReadOnlyList<string> Warnings,
    string? VideoKey,
    string? FramesKey,
    string? Error,
    DateTimeOffset Created,
    DateTimeOffset? Finished,
    string? Silo = null,
    IReadOnlyList<string>? DecodedOn = null)
{
    public bool IsFinished => Phase is GenerationPhase.Succeeded or GenerationPhase.Failed or GenerationPhase.Cancelled;
}
