using System.Text.Json;

namespace Seaweed.Data.Curation;

/// <summary>One shot of a video as the splitter cut it: frames [Start, End) of the video.</summary>
public sealed record ShotClip(string ClipId, int Start, int End);

/// <summary>What the split stage found in one video: its border crop (null: nothing but border), the transitions
/// between shots and the clips it cut, each inside the crop.</summary>
public sealed record VideoSplit(
    string VideoId,
    int Width,
    int Height,
    int FrameCount,
    double Fps,
    PixelRect? Content,
    IReadOnlyList<DetectedTransition> Transitions,
    IReadOnlyList<ShotClip> Clips)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static VideoSplit FromBytes(byte[] bytes, string source) => JsonRecord.Read<VideoSplit>(bytes, Json, source, "video split");

    [System.Text.Json.Serialization.JsonIgnore]
    public double DurationSeconds => FrameCount / Fps;
}

/// <summary>
/// The split stage: crop the letterbox/pillarbox border, find the shots, and name each clip by its video and shot
/// index, so the same video always gives the same clip ids (what makes reprocessing idempotent downstream).
/// </summary>
public sealed class FootageSplitter(ShotDetector? detector = null)
{
    private readonly ShotDetector detector = detector ?? new ShotDetector();

    public static string ClipId(string videoId, int shot) => $"{videoId}-c{shot:D3}";

    /// <summary>The split and the cropped video the clips are frame ranges of (null when the video is all border).</summary>
    public (VideoSplit Split, VideoFrames? Cropped) Split(string videoId, VideoFrames video)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(videoId);
        ArgumentNullException.ThrowIfNull(video);
        var content = BorderDetector.Detect(video);
        if (content is not { } rect)
            return (new VideoSplit(videoId, video.Width, video.Height, video.FrameCount, video.Fps, null, [], []), null);
        var cropped = rect == new PixelRect(0, 0, video.Width, video.Height) ? video : video.Crop(rect);
        var shots = detector.Detect(cropped);
        var clips = shots.Shots.Select((s, i) => new ShotClip(ClipId(videoId, i), s.Start, s.End)).ToArray();
        return (new VideoSplit(videoId, video.Width, video.Height, video.FrameCount, video.Fps, rect, shots.Transitions, clips), cropped);
    }
}
