using System.Text.Json;
using System.Text.Json.Serialization;
using Seaweed.Training.Samples;

namespace Seaweed.Training.Checkpoints;

/// <summary>One rank's shard file: its key, length and SHA-256 (lower-case hex).</summary>
public sealed record ShardEntry(int Rank, string Key, long Bytes, string Sha256);

/// <summary>The rank mesh that wrote a checkpoint: shards load only into the same layout.</summary>
public sealed record CheckpointLayout(int Ranks, int Dp, int Fsdp, int Cp)
{
    public static CheckpointLayout Of(ParallelConfig p) => new(p.Ranks, p.Dp, p.Fsdp, p.Cp);
}

/// <summary>
/// What a checkpoint is: written after all of its shards, so its presence is the commit. <see cref="Step"/> counts
/// the steps taken (training resumes at step index <see cref="Step"/>); with counter-based draws, (seed, step,
/// cursor) is all the random and data-loading state there is.
/// </summary>
public sealed record CheckpointManifest(
    int Format,
    string RunId,
    long Step,
    int Stage,
    string StageName,
    DataCursor Cursor,
    long Seed,
    CheckpointLayout Layout,
    string ConfigHash,
    IReadOnlyList<ShardEntry> Shards)
{
    public const int CurrentFormat = 1;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <exception cref="InvalidDataException">Not a manifest of this format, naming <paramref name="source"/>.</exception>
    public static CheckpointManifest FromBytes(byte[] bytes, string source)
    {
        CheckpointManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<CheckpointManifest>(bytes, Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not a checkpoint manifest ({e.Message})", e);
        }
        if (manifest is null) throw new InvalidDataException($"{source}: empty checkpoint manifest");
        if (manifest.Format != CurrentFormat) throw new InvalidDataException($"{source}: checkpoint format {manifest.Format}, this build reads {CurrentFormat}");
        if (manifest.Shards is null || manifest.Layout is null || manifest.RunId is null)
            throw new InvalidDataException($"{source}: the manifest lacks its run id, layout or shards");
        return manifest;
    }
}
