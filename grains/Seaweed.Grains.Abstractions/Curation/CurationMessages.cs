namespace Seaweed.Grains.Curation;

/// <summary>One input video: its id (which names its clips) and its artefact key.</summary>
[GenerateSerializer, Immutable, Alias("seaweed.curation.input")]
public sealed record CurationInput(string VideoId, string Key);

/// <summary>
/// A curation run: the input videos, the dataset to write, and how hard to push. At most
/// <see cref="MaxVideosInFlight"/> videos are between split and their last curated clip at once (back-pressure);
/// a stage that fails, or does not answer within <see cref="StageTimeout"/>, is retried up to
/// <see cref="MaxAttempts"/> times in all.
/// </summary>
[GenerateSerializer, Immutable, Alias("seaweed.curation.request")]
public sealed record CurationRequest(
    IReadOnlyList<CurationInput> Inputs,
    string Dataset,
    int MaxVideosInFlight = 4,
    int MaxAttempts = 3,
    TimeSpan? StageTimeout = null,
    bool Overwrite = false);

/// <summary>Delivered by stream to the split stage of one video.</summary>
[GenerateSerializer, Immutable, Alias("seaweed.curation.video-task")]
public sealed record VideoTask(string RunId, string VideoId, string InputKey, int Attempt);

/// <summary>Delivered by stream to the per-clip stage: where the clip's raw RGB24 frames are and their size.</summary>
[GenerateSerializer, Immutable, Alias("seaweed.curation.clip-task")]
public sealed record ClipTask(string RunId, string VideoId, string ClipId, int Start, int Width, int Height, int Frames, double Fps, int Attempt);

[GenerateSerializer, Alias("seaweed.curation.phase")]
public enum CurationPhase { NotStarted, Running, Writing, Completed, Failed }

/// <summary>An item that could not be processed, and why.</summary>
[GenerateSerializer, Immutable, Alias("seaweed.curation.failure")]
public sealed record CurationFailure(string Item, string Reason);

/// <summary>How many clips each stage let through or stopped, once the dataset is written.</summary>
[GenerateSerializer, Immutable, Alias("seaweed.curation.counts")]
public sealed record CurationCounts(
    int Clips,
    int Invalid,
    int TooShort,
    int Uncaptioned,
    int HeldOut,
    int Duplicates,
    int BalancedOut,
    int Samples,
    int Packs,
    double PaddingFraction);

[GenerateSerializer, Immutable, Alias("seaweed.curation.status")]
public sealed record CurationStatus(
    string RunId,
    CurationPhase Phase,
    int Videos,
    int VideosDone,
    int VideosFailed,
    int Clips,
    int ClipsDone,
    int ClipsFailed,
    int VideosInFlight,
    int MaxVideosInFlightSeen,
    int Retries,
    IReadOnlyList<CurationFailure> Failures,
    CurationCounts? Counts,
    string? ManifestKey,
    bool DatasetUnchanged,
    string? Error,
    IReadOnlyDictionary<string, int> ClipsBySilo)
{
    public bool IsFinished => Phase is CurationPhase.Completed or CurationPhase.Failed;
}
