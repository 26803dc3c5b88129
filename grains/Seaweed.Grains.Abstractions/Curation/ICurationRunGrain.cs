namespace Seaweed.Grains.Curation;

/// <summary>
/// Drives one curation run (key: run id): sends videos to the split stage and clips to the per-clip stage through
/// streams, holds back-pressure, retries failed or silent stages, and writes the dataset when every clip is done.
/// Stage grains report back here; every report is idempotent, so a retried stage never counts twice.
/// </summary>
public interface ICurationRunGrain : IGrainWithStringKey
{
    /// <summary>Starts the run; a second call with the same run id returns its status and changes nothing.</summary>
    Task<CurationStatus> Start(CurationRequest request);

    Task<CurationStatus> GetStatus();

    Task VideoSplit(string videoId, int attempt, IReadOnlyList<ClipTask> clips);

    Task VideoFailed(string videoId, int attempt, string reason, bool retryable);

    /// <param name="silo">The silo that curated the clip, for the per-silo counts.</param>
    Task ClipCurated(string clipId, int attempt, string silo);

    Task ClipFailed(string clipId, int attempt, string reason, bool retryable);
}
