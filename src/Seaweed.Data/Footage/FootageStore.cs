using System.Text;
using Seaweed.Data.Store;
using Seaweed.Data.Video;
using Seaweed.Data.World;

namespace Seaweed.Data.Footage;

/// <summary>
/// Raw footage as a curator receives it: video v of a generator H.264-encoded by ffmpeg at a CRF drawn from the
/// seed (18–30, so compression varies as in the wild) under <c>{prefix}{id}.mp4</c>, with its ground truth beside it
/// as <c>{prefix}{id}.truth.json</c>. Video v depends only on the seed and v, so one already stored is reused.
/// </summary>
public static class FootageStore
{
    public const string TruthSuffix = ".truth.json";

    public static string VideoKey(string prefix, int video) => $"{prefix}{FootageGenerator.VideoId(video)}.mp4";

    public static string TruthKey(string prefix, int video) => $"{prefix}{FootageGenerator.VideoId(video)}{TruthSuffix}";

    /// <summary>How video <paramref name="video"/> of a generator with this seed is encoded: the CRF drawn for it, and
    /// a fast preset, since footage is rendered on demand.</summary>
    public static Mp4EncodeOptions EncodeOptions(long seed, int video) =>
        new(Crf: WorldRandom.For(seed, video, "footage-crf").Next(18, 31), Preset: "veryfast");

    public static async Task<FootageTruth> EnsureAsync(IArtefactStore store, Ffmpeg ffmpeg, FootageGenerator generator, string prefix, int video, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(ffmpeg);
        ArgumentNullException.ThrowIfNull(generator);
        string key = VideoKey(prefix, video), truthKey = TruthKey(prefix, video);
        if (await store.ExistsAsync(key, cancellationToken) && await store.ExistsAsync(truthKey, cancellationToken))
            return FootageTruth.FromJson(Encoding.UTF8.GetString(await store.ReadAllBytesAsync(truthKey, cancellationToken)), store.Describe(truthKey));

        var raw = generator.Video(video);
        string temp = Path.Combine(Path.GetTempPath(), $"seaweed-footage-{Guid.NewGuid():N}.mp4");
        try
        {
            await ffmpeg.EncodeAsync(raw.Video, temp, EncodeOptions(generator.Options.Seed, video), cancellationToken);
            await using var file = File.OpenRead(temp);
            await store.WriteAsync(key, file, ArtefactWriteMode.Overwrite, cancellationToken);
        }
        finally
        {
            File.Delete(temp);
        }
        await store.WriteAsync(truthKey, new MemoryStream(Encoding.UTF8.GetBytes(raw.Truth.ToJson())), ArtefactWriteMode.Overwrite, cancellationToken);
        return raw.Truth;
    }
}
