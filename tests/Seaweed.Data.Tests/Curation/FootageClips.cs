using Seaweed.Data.Curation;
using Seaweed.Data.Footage;
using Seaweed.Data.World;

namespace Seaweed.Data.Tests.Curation;

/// <summary>A Good shot cut out of compressed raw footage: its pixels, the render it came from and what that render shows.</summary>
internal sealed record LabelledClip(string Id, string Source, DuplicateVariant? Variant, VideoFrames Frames, SceneContent Content)
{
    public ClipSignature Signature { get; } = ClipSignature.Compute(Frames);
}

/// <summary>A shot of any quality cut out of compressed raw footage, with its ground truth and the CRF it was compressed at.</summary>
internal sealed record FootageShot(string Id, ShotTruth Truth, int Crf, VideoFrames Frames);

/// <summary>
/// Clips as a curator would see them: each raw video goes through H.264 at a random CRF, every chosen shot's clean
/// frames are cut out and its letterbox bars cropped off, and up to two frames are trimmed from either end
/// (shot detection does not cut where the truth does). Clips shorter than <c>minFrames</c> after trimming are dropped.
/// </summary>
internal static class FootageClips
{
    /// <summary>Good shots only, at least as long as the shortest duration bucket, for deduplication.</summary>
    public static IReadOnlyList<LabelledClip> Generate(long seed, int videos, double duplicateFraction) =>
        Shots(new FootageOptions { Seed = seed, DuplicateFraction = duplicateFraction }, videos, "dedup-test", 9,
                shot => shot.Quality == ShotQuality.Good)
            .Select(s => new LabelledClip(s.Id, $"{seed}-{s.Truth.Source}", s.Truth.Duplicate, s.Frames, s.Truth.Content))
            .ToList();

    /// <summary>The shots that <paramref name="include"/> selects; the trims depend on the seed, the salt and which
    /// shots are included.</summary>
    public static IEnumerable<FootageShot> Shots(FootageOptions options, int videos, string salt, int minFrames, Func<ShotTruth, bool> include)
    {
        var footage = new FootageGenerator(options);
        var rng = WorldRandom.For(options.Seed, 0, salt);
        for (int v = 0; v < videos; v++)
        {
            var raw = footage.Video(v);
            int crf = rng.Next(18, 31);
            var video = H264.RoundTrip(raw.Video, crf).Crop(raw.Truth.Content);
            for (int s = 0; s < raw.Truth.Shots.Count; s++)
            {
                var shot = raw.Truth.Shots[s];
                if (!include(shot)) continue;
                int start = shot.Start + rng.Next(0, 3), end = shot.End - rng.Next(0, 3);
                if (end - start < minFrames) continue;
                yield return new FootageShot($"{options.Seed}-{raw.Truth.VideoId}-c{s:D2}", shot, crf, video.Slice(start, end - start));
            }
        }
    }
}
