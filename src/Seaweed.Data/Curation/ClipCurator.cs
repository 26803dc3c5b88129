using Seaweed.Data.Imaging;
using Seaweed.Data.Understanding;
using Seaweed.Data.World;

namespace Seaweed.Data.Curation;

/// <summary>A clip's record and, for a candidate, the training sample cut from it.</summary>
public sealed record CuratedClip(ClipRecord Record, VideoFrames? Sample);

/// <summary>
/// The per-clip stage: quality filter, then duration bucket, captioning (a clip nothing can be read from is not a
/// training sample), the held-out guard (a misread that names a held-out composition must not train the model),
/// the near-duplicate signature, and the aspect-bucket sample: the bucket's centred crop, resized, and the middle
/// frames of the clip cut to the duration bucket. Cheap checks come first so rejected clips cost little.
/// </summary>
public sealed class ClipCurator
{
    private readonly CurationOptions options;
    private readonly QualityFilter quality;

    public CurationOptions Options => options;

    public ClipCurator(CurationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Validate();
        quality = new QualityFilter(options.Quality);
    }

    /// <param name="start">First frame of <paramref name="clip"/> in its video.</param>
    public CuratedClip Curate(string clipId, string videoId, int start, VideoFrames clip, int captionVariant = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clipId);
        ArgumentException.ThrowIfNullOrWhiteSpace(videoId);
        ArgumentNullException.ThrowIfNull(clip);
        if (start < 0) throw new ArgumentOutOfRangeException(nameof(start), start, "must be non-negative");

        var verdict = quality.Judge(clip);
        var record = new ClipRecord(clipId, videoId, start, start + clip.FrameCount, clip.Width, clip.Height, clip.Fps,
            ClipVerdict.Candidate, verdict, null, null, null, null, 0, 0, 0, 0, 0);
        if (!verdict.IsGood) return new CuratedClip(record with { Verdict = ClipVerdict.Invalid }, null);
        if (options.Durations.Assign(clip.FrameCount) is not { } frames) return new CuratedClip(record with { Verdict = ClipVerdict.TooShort }, null);

        var reading = SceneReader.Read(clip).Content;
        if (reading is null) return new CuratedClip(record with { Verdict = ClipVerdict.Uncaptioned }, null);
        var caption = CaptionGrammar.Write(reading, captionVariant);
        record = record with { Caption = caption, Content = reading };
        if (HeldOut.Touches(reading)) return new CuratedClip(record with { Verdict = ClipVerdict.HeldOut }, null);

        var plan = options.Aspects.Assign(clip.Width, clip.Height);
        int sampleStart = (clip.FrameCount - frames) / 2;
        var sample = FrameOps.Resize(clip.Slice(sampleStart, frames).Crop(plan.Crop), plan.Bucket.Width, plan.Bucket.Height);
        return new CuratedClip(record with
        {
            Signature = ClipSignature.Compute(clip).ToBytes(),
            Bucket = plan.Bucket.Name,
            SampleWidth = plan.Bucket.Width,
            SampleHeight = plan.Bucket.Height,
            SampleFrames = frames,
            SampleStart = start + sampleStart,
            Tokens = options.Tokens(plan.Bucket, frames),
        }, sample);
    }
}
