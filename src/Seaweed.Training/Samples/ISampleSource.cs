using Seaweed.Data;

namespace Seaweed.Training.Samples;

public enum Modality
{
    Image,
    Video,
}

/// <summary>What a source says about one item, without its pixels: enough to plan a batch.</summary>
/// <param name="Frames">Frames the item has; a plan may use fewer.</param>
public sealed record SourceClip(Modality Modality, long Index, int Width, int Height, int Frames, string Caption, string ShortCaption);

/// <summary>
/// Training items as two endless streams, images and videos, addressed by position: item i of a stream is the same
/// on every rank and after every restart, so a data cursor of two counters is the whole data-loading state.
/// </summary>
public interface ISampleSource
{
    /// <summary>For messages: where the samples come from.</summary>
    string Name { get; }

    SourceClip Describe(Modality modality, long index);

    /// <summary>The item's frames at their stored size (RGB24).</summary>
    Task<VideoFrames> ReadAsync(SourceClip clip, CancellationToken cancellationToken = default);

    /// <summary>Captions to build a tokenizer from; the same on every rank.</summary>
    IEnumerable<string> Corpus();
}

/// <summary>How far each stream has been read: the next image and the next video position.</summary>
public readonly record struct DataCursor(long Images, long Videos)
{
    public DataCursor Advance(long images, long videos) => new(Images + images, Videos + videos);
}
