using System.Text.Json;
using System.Text.Json.Serialization;
using Seaweed.Data.Footage;
using Seaweed.Data.World;

namespace Seaweed.Data.Curation;

/// <summary>Why a clip is not a training sample; <see cref="Candidate"/> clips go on to dedup and balancing.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ClipVerdict>))]
public enum ClipVerdict { Candidate, Invalid, TooShort, Uncaptioned, HeldOut }

/// <summary>
/// What the per-clip stage learned about one shot of one video: where it is (frames [Start, End) of the video,
/// inside its border crop), its quality verdict, and for candidates the signature, captions, read content and bucket.
/// </summary>
public sealed record ClipRecord(
    string ClipId,
    string VideoId,
    int Start,
    int End,
    int Width,
    int Height,
    double Fps,
    ClipVerdict Verdict,
    QualityVerdict Quality,
    byte[]? Signature,
    Caption? Caption,
    SceneContent? Content,
    string? Bucket,
    int SampleWidth,
    int SampleHeight,
    int SampleFrames,
    int SampleStart,
    int Tokens)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static ClipRecord FromBytes(byte[] bytes, string source) => JsonRecord.Read<ClipRecord>(bytes, Json, source, "clip record");

    /// <summary>The content label clusters are balanced by: each object's colour, shape and motion, in order.</summary>
    [JsonIgnore]
    public string ContentLabel => Content is null ? "" : string.Join("+", Content.Objects.Select(o => $"{o.Colour}-{o.Shape}-{o.Motion}".ToLowerInvariant()));
}
