using Seaweed.Data.Curation;
using Seaweed.Data.Footage;
using Seaweed.Data.World;

namespace Seaweed.Data.Tests.Curation;

/// <summary>A Good shot cut out of compressed raw footage: its pixels, the render it came from and what that render shows.</summary>
internal sealed record LabelledClip(string Id, string Source, DuplicateVariant? Variant, VideoFrames Frames, SceneContent Content)
{
    public ClipSignature Signature { get; } = ClipSignature.Compute(Frames);
}

/// <summary>
/// Clips as a curator would see them: each raw video goes through H.264 at a random CRF, every Good shot's clean
/// frames are cut out and its letterbox bars cropped off, and up to two frames are trimmed from either end
/// (shot detection does not cut where the truth does). Clips shorter than the shortest duration bucket are dropped.
/// </summary>
internal static class FootageClips
{
    public static IReadOnlyList<LabelledClip> Generate(long seed, int videos, double duplicateFraction)
    {
        var footage = new FootageGenerator(new FootageOptions { Seed = seed, DuplicateFraction = duplicateFraction });
        var rng = WorldRandom.For(seed, 0, "dedup-test");
        var clips = new List<LabelledClip>();
        for (int v = 0; v < videos; v++)
        {
            var raw = footage.Video(v);
            var video = H264.RoundTrip(raw.Video, rng.Next(18, 31)).Crop(raw.Truth.Content);
            for (int s = 0; s < raw.Truth.Shots.Count; s++)
            {
                var shot = raw.Truth.Shots[s];
                if (shot.Quality != ShotQuality.Good) continue;
                int start = shot.Start + rng.Next(0, 3), end = shot.End - rng.Next(0, 3);
                if (end - start < 9) continue;
                clips.Add(new LabelledClip($"{seed}-{raw.Truth.VideoId}-c{s:D2}", $"{seed}-{shot.Source}", shot.Duplicate, video.Slice(start, end - start), shot.Content));
            }
        }
        return clips;
    }
}
