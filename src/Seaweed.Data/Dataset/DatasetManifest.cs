using System.Text.Json;
using System.Text.Json.Serialization;

namespace Seaweed.Data.Dataset;

/// <summary>What a training sample is: a clip cut to its duration bucket and resized to its aspect bucket. Pack is
/// the index of the sequence it shares with other samples; Source* say where it was cut from.</summary>
public sealed record SampleInfo(
    string Id,
    int Width,
    int Height,
    int Frames,
    double Fps,
    string Bucket,
    int Tokens,
    int Pack,
    string Caption,
    string ShortCaption,
    string SourceVideo,
    int SourceStart);

/// <summary>Where a sample's frames are: zlib-compressed RGB24 at [Offset, Offset + Length) of a shard.</summary>
public sealed record SampleBlob(string Shard, long Offset, int Length, string Sha256);

public sealed record DatasetSample(SampleInfo Info, SampleBlob Blob);

/// <summary>A shard: a content-addressed blob of concatenated samples.</summary>
public sealed record DatasetShard(string Key, long Bytes, string Sha256, int Samples);

/// <summary>
/// The dataset's table of contents, written last: a dataset exists once its manifest does. Samples are in ordinal
/// Id order and shards are named by their content, so the same curated clips give the same bytes.
/// </summary>
public sealed record DatasetManifest(
    int Format,
    string Name,
    int PackCapacity,
    IReadOnlyList<DatasetShard> Shards,
    IReadOnlyList<DatasetSample> Samples)
{
    public const int CurrentFormat = 1;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string ManifestKey(string name) => $"{Prefix(name)}manifest.json";

    public static string Prefix(string name) => $"datasets/{name}/";

    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static DatasetManifest FromBytes(byte[] bytes, string source)
    {
        var manifest = JsonRecord.Read<DatasetManifest>(bytes, Json, source, "dataset manifest");
        if (manifest.Format != CurrentFormat) throw new InvalidDataException($"{source}: dataset format {manifest.Format}, this build reads {CurrentFormat}");
        if (manifest.Samples is null || manifest.Shards is null) throw new InvalidDataException($"{source}: manifest lacks samples or shards");
        return manifest;
    }
}
