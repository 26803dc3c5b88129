namespace Seaweed.Data.Stories;

/// <summary>How far a join jumps: the difference across it against the typical difference between consecutive
/// frames inside the shots on either side.</summary>
/// <param name="Boundary">Mean absolute difference (0–255) between the last frame before the join and the first after it.</param>
/// <param name="WithinMean">Mean of the consecutive-frame differences inside the two shots.</param>
/// <param name="WithinMax">The largest of them.</param>
public sealed record JoinContinuity(int Frame, double Boundary, double WithinMean, double WithinMax);

public static class Continuity
{
    /// <summary>Mean absolute difference per channel value (0–255) between two frames of one video.</summary>
    public static double FrameDifference(VideoFrames video, int a, int b)
    {
        ArgumentNullException.ThrowIfNull(video);
        var x = video.ReadFrame(a);
        var y = video.ReadFrame(b);
        long sum = 0;
        for (int i = 0; i < x.Length; i++) sum += Math.Abs(x[i] - y[i]);
        return (double)sum / x.Length;
    }

    /// <summary>
    /// The join at frame <paramref name="join"/> of <paramref name="video"/> (the first frame after it), between the
    /// shot [<paramref name="start"/>, join) and the shot [join, <paramref name="end"/>).
    /// </summary>
    public static JoinContinuity AtJoin(VideoFrames video, int start, int join, int end)
    {
        ArgumentNullException.ThrowIfNull(video);
        if (start < 0 || join - start < 2 || end - join < 2 || end > video.FrameCount)
            throw new ArgumentOutOfRangeException(nameof(join), $"shots [{start}, {join}) and [{join}, {end}) of {video.FrameCount} frames need two frames each");
        var within = Enumerable.Range(start + 1, join - start - 1).Concat(Enumerable.Range(join + 1, end - join - 1))
            .Select(t => FrameDifference(video, t - 1, t)).ToArray();
        return new JoinContinuity(join, FrameDifference(video, join - 1, join), within.Average(), within.Max());
    }

    /// <summary>Every join of a story whose shots kept <paramref name="kept"/> frames each, where both shots beside
    /// it have the two frames a step inside them needs.</summary>
    public static IReadOnlyList<JoinContinuity> AtJoins(VideoFrames story, IReadOnlyList<int> kept)
    {
        ArgumentNullException.ThrowIfNull(kept);
        var joins = new List<JoinContinuity>();
        int start = 0;
        for (int i = 0; i + 1 < kept.Count; i++)
        {
            int join = start + kept[i], end = join + kept[i + 1];
            if (kept[i] >= 2 && kept[i + 1] >= 2) joins.Add(AtJoin(story, start, join, end));
            start = join;
        }
        return joins;
    }
}
