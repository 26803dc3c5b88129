namespace Seaweed.Grains.Curation;

/// <summary>Stream provider and namespaces of the curation pipeline.</summary>
public static class CurationStreams
{
    public const string Provider = "curation";
    public const string Videos = "curation-videos";
    public const string Clips = "curation-clips";

    /// <summary>Stream key, and so the key of the stage grain that consumes it.</summary>
    public static string Key(string runId, string itemId) => $"{runId}/{itemId}";
}

/// <summary>
/// Where a run keeps its intermediate artefacts, all under <c>curation/{run}/</c>: per-video splits, per-clip
/// frames and records, candidate samples and the duplicate clusters. Keys depend only on run, video and clip ids, so a retried stage
/// overwrites its own output instead of adding to it.
/// </summary>
public static class CurationKeys
{
    public static string Run(string runId) => $"curation/{runId}/";
    public static string Split(string runId, string videoId) => $"{Run(runId)}splits/{videoId}.json";
    public static string ClipFramesPrefix(string runId) => $"{Run(runId)}clips/";
    public static string ClipFrames(string runId, string clipId) => $"{ClipFramesPrefix(runId)}{clipId}.rgb";
    public static string Record(string runId, string clipId) => $"{Run(runId)}records/{clipId}.json";
    public static string Records(string runId) => $"{Run(runId)}records/";
    public static string SamplesPrefix(string runId) => $"{Run(runId)}samples/";
    public static string Sample(string runId, string clipId) => $"{SamplesPrefix(runId)}{clipId}.rgb";

    /// <summary>The near-duplicate clusters of more than one clip that the dataset was planned with.</summary>
    public static string Duplicates(string runId) => $"{Run(runId)}duplicates.json";
}
