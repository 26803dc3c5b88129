using Seaweed.Data.Curation;
using Seaweed.Data.Footage;
using Seaweed.Data.Store;
using Seaweed.Data.Video;
using Seaweed.Data.World;
using Seaweed.Testing;

namespace Seaweed.Data.Tests.Curation;

/// <summary>A Good shot cut out of compressed raw footage: its pixels, the render it came from and what that render shows.</summary>
internal sealed record LabelledClip(string Id, string Source, DuplicateVariant? Variant, VideoFrames Frames, SceneContent Content)
{
    public ClipSignature Signature { get; } = ClipSignature.Compute(Frames);
}

/// <summary>A shot of any quality cut out of compressed raw footage, with its ground truth and the CRF it was compressed at.</summary>
internal sealed record FootageShot(string Id, ShotTruth Truth, int Crf, VideoFrames Frames);

/// <summary>
/// Clips as a curator would see them: each raw video is compressed, every chosen shot's clean frames are cut out
/// and its letterbox bars cropped off, and up to two frames are trimmed from either end (shot detection does not
/// cut where the truth does). Clips shorter than <c>minFrames</c> after trimming are dropped.
/// </summary>
internal static class FootageClips
{
    /// <summary>Good shots only, at least as long as the shortest duration bucket, for deduplication.</summary>
    public static IReadOnlyList<LabelledClip> Generate(long seed, int videos, double duplicateFraction) =>
        Shots(new FootageOptions { Seed = seed, DuplicateFraction = duplicateFraction }, videos, "dedup-test", 9,
                shot => shot.Quality == ShotQuality.Good)
            .Select(s => new LabelledClip(s.Id, $"{seed}-{s.Truth.Source}", s.Truth.Duplicate, s.Frames, s.Truth.Content))
            .ToList();

    /// <summary>The shots that <paramref name="include"/> selects, each video round-tripped through
    /// <see cref="H264"/> at a random CRF; the trims depend on the seed, the salt and which shots are included.</summary>
    public static IEnumerable<FootageShot> Shots(FootageOptions options, int videos, string salt, int minFrames, Func<ShotTruth, bool> include)
    {
        var footage = new FootageGenerator(options);
        var rng = WorldRandom.For(options.Seed, 0, salt);
        for (int v = 0; v < videos; v++)
        {
            var raw = footage.Video(v);
            int crf = rng.Next(18, 31);
            foreach (var shot in Cut(options.Seed, raw.Truth, H264.RoundTrip(raw.Video, crf), crf, rng, minFrames, include))
                yield return shot;
        }
    }

    /// <summary>
    /// The shots that <paramref name="include"/> selects, read exactly as the curation pipeline reads synthetic
    /// footage: each video stored by <see cref="FootageStore"/> (which encodes it) and decoded by <see cref="VideoIO"/>.
    /// </summary>
    public static async Task<IReadOnlyList<FootageShot>> StoredShotsAsync(FootageOptions options, int videos, string salt, int minFrames, Func<ShotTruth, bool> include)
    {
        var io = new VideoIO();
        if (io.Ffmpeg.UnavailableReason is { } reason) Assert.Fail(reason);
        var generator = new FootageGenerator(options);
        const string prefix = "footage/";
        string root = Directory.CreateTempSubdirectory("seaweed-footage-store-").FullName;
        try
        {
            var store = new LocalArtefactStore(root);
            var decoded = new (FootageTruth Truth, VideoFrames Video)[videos];
            await System.Threading.Tasks.Parallel.ForAsync(0, videos, async (v, ct) =>
            {
                var truth = await FootageStore.EnsureAsync(store, io.Ffmpeg, generator, prefix, v, ct);
                decoded[v] = (truth, await io.ReadAsync(store.Describe(FootageStore.VideoKey(prefix, v)), ct));
            });
            var rng = WorldRandom.For(options.Seed, 0, salt);
            return decoded.SelectMany((d, v) => Cut(options.Seed, d.Truth, d.Video, FootageStore.EncodeOptions(options.Seed, v).Crf, rng, minFrames, include)).ToList();
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static IEnumerable<FootageShot> Cut(long seed, FootageTruth truth, VideoFrames decoded, int crf, WorldRandom rng, int minFrames, Func<ShotTruth, bool> include)
    {
        var video = decoded.Crop(truth.Content);
        for (int s = 0; s < truth.Shots.Count; s++)
        {
            var shot = truth.Shots[s];
            if (!include(shot)) continue;
            int start = shot.Start + rng.Next(0, 3), end = shot.End - rng.Next(0, 3);
            if (end - start < minFrames) continue;
            yield return new FootageShot($"{seed}-{truth.VideoId}-c{s:D2}", shot, crf, video.Slice(start, end - start));
        }
    }
}
