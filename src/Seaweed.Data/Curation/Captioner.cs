using Seaweed.Data.Understanding;
using Seaweed.Data.World;

namespace Seaweed.Data.Curation;

/// <summary>
/// Captions a clip in the training grammar from what its pixels show: the clip is read with
/// <see cref="SceneReader"/> and the reading written with <see cref="CaptionGrammar"/>, detailed and short, so
/// curated footage gets captions the parser reads back like the world's own.
/// </summary>
public static class Captioner
{
    /// <summary>The captions of a clip in phrasing <paramref name="variant"/>, or null when no object can be read.</summary>
    public static Caption? Write(VideoFrames clip, int variant)
    {
        ArgumentNullException.ThrowIfNull(clip);
        if (variant < 0 || variant >= CaptionGrammar.Variants)
            throw new ArgumentOutOfRangeException(nameof(variant), variant, $"variant must be in 0..{CaptionGrammar.Variants - 1}");
        return SceneReader.Read(clip).Content is { } content ? CaptionGrammar.Write(content, variant) : null;
    }
}
