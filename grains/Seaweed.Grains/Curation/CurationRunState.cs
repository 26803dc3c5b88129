namespace Seaweed.Grains.Curation;

[GenerateSerializer, Alias("seaweed.curation.video-state")]
public enum VideoStage { Pending, Splitting, Curating, Done, Failed }

/// <summary>One item (video or clip) in flight: how often it was sent, when last, and why it failed if it did.</summary>
[GenerateSerializer, Alias("seaweed.curation.item-progress")]
public sealed class ItemProgress
{
    [Id(0)] public int Attempts { get; set; }
    [Id(1)] public DateTime SentUtc { get; set; }
    [Id(2)] public string? Failure { get; set; }
    [Id(3)] public bool Done { get; set; }
}

[GenerateSerializer, Alias("seaweed.curation.video-progress")]
public sealed class VideoProgress
{
    [Id(0)] public string Key { get; set; } = "";
    [Id(1)] public VideoStage Stage { get; set; }
    [Id(2)] public ItemProgress Split { get; set; } = new();
    [Id(3)] public Dictionary<string, ClipTask> Clips { get; set; } = [];
    [Id(4)] public Dictionary<string, ItemProgress> ClipProgress { get; set; } = [];
}

[GenerateSerializer, Alias("seaweed.curation.run-state")]
public sealed class CurationRunState
{
    [Id(0)] public CurationRequest? Request { get; set; }
    [Id(1)] public CurationPhase Phase { get; set; }
    [Id(2)] public Dictionary<string, VideoProgress> Videos { get; set; } = [];
    [Id(3)] public int MaxVideosInFlightSeen { get; set; }
    [Id(4)] public int Retries { get; set; }
    [Id(5)] public CurationCounts? Counts { get; set; }
    [Id(6)] public string? ManifestKey { get; set; }
    [Id(7)] public bool DatasetUnchanged { get; set; }
    [Id(8)] public string? Error { get; set; }
    [Id(9)] public Dictionary<string, int> ClipsBySilo { get; set; } = [];
}
