using System.Text.Json;
using System.Text.Json.Serialization;
using Seaweed.Data.World;

namespace Seaweed.Data.Footage;

/// <summary>What is wrong with a shot, if anything. Every kind but Good is an invalid clip for training.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ShotQuality>))]
public enum ShotQuality { Good, Blurred, Frozen, Dark, Noisy, Cluttered }

[JsonConverter(typeof(JsonStringEnumConverter<TransitionKind>))]
public enum TransitionKind { Cut, Dissolve, Fade }

/// <summary>How a near-duplicate differs from its source shot.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DuplicateVariant>))]
public enum DuplicateVariant { ReEncoded, Rescaled, Cropped }

/// <summary>A shot's clean frames [Start, End) (transition frames excluded), what it shows and what is wrong with it.
/// Source names the rendered shot; a near-duplicate repeats an earlier shot's Source.</summary>
public sealed record ShotTruth(int Start, int End, string Source, ShotQuality Quality, SceneContent Content, DuplicateVariant? Duplicate)
{
    [JsonIgnore]
    public int Length => End - Start;
}

/// <summary>A transition occupies frames [Start, End); a cut has Start = End = the first frame of the next shot.</summary>
public sealed record TransitionTruth(TransitionKind Kind, int Start, int End);

/// <summary>The ground-truth sidecar of one raw footage video.</summary>
public sealed record FootageTruth(
    string VideoId,
    int Width,
    int Height,
    double Fps,
    int FrameCount,
    PixelRect Content,
    IReadOnlyList<ShotTruth> Shots,
    IReadOnlyList<TransitionTruth> Transitions)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static FootageTruth FromJson(string json, string source) =>
        JsonSerializer.Deserialize<FootageTruth>(json, Json) ?? throw new InvalidDataException($"{source}: empty ground truth");
}

/// <summary>A raw footage video and its ground truth.</summary>
public sealed record RawFootage(VideoFrames Video, FootageTruth Truth);
