namespace Seaweed.Data.Stories;

/// <summary>Joins the shots' frames into the story's one video.</summary>
public static class StoryJoin
{
    /// <summary>
    /// The shots back to back. A continuation starts with <paramref name="overlap"/>[i] frames that re-create the end of
    /// the shot before it (its conditioning); they are left out, so the story shows each moment once.
    /// </summary>
    public static VideoFrames Join(IReadOnlyList<VideoFrames> shots, IReadOnlyList<int> overlap)
    {
        ArgumentNullException.ThrowIfNull(shots);
        ArgumentNullException.ThrowIfNull(overlap);
        if (shots.Count == 0) throw new ArgumentException("no shots to join", nameof(shots));
        if (overlap.Count != shots.Count) throw new ArgumentException($"{overlap.Count} overlaps for {shots.Count} shots", nameof(overlap));
        var first = shots[0];
        long frames = 0;
        for (int i = 0; i < shots.Count; i++)
        {
            var s = shots[i];
            if (s.Width != first.Width || s.Height != first.Height || s.Fps != first.Fps)
                throw new ArgumentException($"shots[{i}] is {s.Width}x{s.Height} at {s.Fps} fps, shot 0 {first.Width}x{first.Height} at {first.Fps} fps", nameof(shots));
            if (overlap[i] < 0 || overlap[i] >= s.FrameCount)
                throw new ArgumentOutOfRangeException(nameof(overlap), overlap[i], $"shots[{i}] has {s.FrameCount} frames; its overlap must leave at least one");
            frames += s.FrameCount - overlap[i];
        }
        if (frames > int.MaxValue) throw new ArgumentException($"{frames} frames do not fit in one video", nameof(shots));
        var story = new VideoFrames(first.Width, first.Height, (int)frames, first.Fps);
        int offset = 0;
        for (int i = 0; i < shots.Count; i++)
        {
            var kept = shots[i].Data.AsSpan(overlap[i] * first.FrameBytes);
            kept.CopyTo(story.Data.AsSpan(offset));
            offset += kept.Length;
        }
        return story;
    }
}
