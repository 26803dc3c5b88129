using Seaweed.Data.Footage;
using Seaweed.Data.World;

namespace Seaweed.Data.Curation;

/// <summary>A binary detector's hits against ground truth: flagged items that truly were, of all flagged and all true.</summary>
public sealed record Detection(int TruePositives, int Flagged, int Actual)
{
    public double Precision => Flagged == 0 ? 1 : (double)TruePositives / Flagged;
    public double Recall => Actual == 0 ? 1 : (double)TruePositives / Actual;
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);
}

/// <summary>The curation pipeline measured against the footage's ground truth.</summary>
public sealed record CurationFigures(
    ShotBoundaryScore ShotBoundaries,
    double CropIoUMean,
    double CropIoUMin,
    Detection InvalidClips,
    Detection Duplicates,
    int OutputSamples,
    double InvalidInOutput,
    double CaptionAccuracy,
    IReadOnlyDictionary<string, int> FlaggedAs);

/// <summary>
/// Scores a curation run on footage whose truth is known. A clip is valid when at least <see cref="ValidOverlap"/>
/// of its frames lie in one Good truth shot (a clip straddling a transition, or cut from a spoiled shot, is not);
/// it then stands for that shot. Duplicates: among candidates standing for the same source shot, every clip but
/// the one with the smallest id is a true duplicate, as the pipeline keeps the smallest.
/// </summary>
public static class CurationScoring
{
    public const double ValidOverlap = 0.8;

    public static CurationFigures Score(
        IReadOnlyDictionary<string, FootageTruth> truth,
        IReadOnlyList<VideoSplit> splits,
        IReadOnlyList<ClipRecord> records,
        IReadOnlyCollection<string> removedDuplicates,
        IReadOnlyList<(string ClipId, string Caption)> outputSamples)
    {
        ArgumentNullException.ThrowIfNull(truth);
        foreach (var split in splits)
            if (!truth.ContainsKey(split.VideoId)) throw new ArgumentException($"video '{split.VideoId}' has no ground truth", nameof(truth));

        var boundaries = ShotBoundaryScore.None;
        var ious = new List<double>();
        foreach (var split in splits)
        {
            var t = truth[split.VideoId];
            boundaries += ShotBoundaryScore.Compute(split.Transitions, t.Transitions);
            ious.Add(split.Content is { } c ? c.IoU(t.Content) : 0);
        }

        var shotOf = records.ToDictionary(r => r.ClipId, r => TruthShot(truth[r.VideoId], r.Start, r.End), StringComparer.Ordinal);
        bool Valid(string clipId) => shotOf[clipId] is not null;
        var invalid = new Detection(
            records.Count(r => r.Verdict == ClipVerdict.Invalid && !Valid(r.ClipId)),
            records.Count(r => r.Verdict == ClipVerdict.Invalid),
            records.Count(r => !Valid(r.ClipId)));

        var candidates = records.Where(r => r.Verdict == ClipVerdict.Candidate).OrderBy(r => r.ClipId, StringComparer.Ordinal).ToArray();
        var trueDuplicates = candidates
            .Where(r => Valid(r.ClipId))
            .GroupBy(r => shotOf[r.ClipId]!.Source, StringComparer.Ordinal)
            .SelectMany(g => g.Skip(1).Select(r => r.ClipId))
            .ToHashSet(StringComparer.Ordinal);
        var duplicates = new Detection(removedDuplicates.Count(trueDuplicates.Contains), removedDuplicates.Count, trueDuplicates.Count);

        int captionsRight = outputSamples.Count(s => shotOf.GetValueOrDefault(s.ClipId) is { } shot && CaptionParser.Parse(s.Caption).Matches(shot.Content));
        int outputInvalid = outputSamples.Count(s => !shotOf.ContainsKey(s.ClipId) || !Valid(s.ClipId));
        var flaggedAs = records.Where(r => r.Verdict == ClipVerdict.Invalid)
            .GroupBy(r => r.Quality.Quality.ToString(), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

        return new CurationFigures(
            boundaries,
            ious.Count == 0 ? 0 : ious.Average(), ious.Count == 0 ? 0 : ious.Min(),
            invalid, duplicates, outputSamples.Count,
            outputSamples.Count == 0 ? 0 : (double)outputInvalid / outputSamples.Count,
            outputSamples.Count == 0 ? 0 : (double)captionsRight / outputSamples.Count,
            flaggedAs);
    }

    /// <summary>The Good truth shot holding at least <see cref="ValidOverlap"/> of frames [start, end), if any.</summary>
    public static ShotTruth? TruthShot(FootageTruth truth, int start, int end)
    {
        foreach (var shot in truth.Shots)
        {
            int overlap = Math.Min(end, shot.End) - Math.Max(start, shot.Start);
            if (overlap >= ValidOverlap * (end - start)) return shot.Quality == ShotQuality.Good ? shot : null;
        }
        return null;
    }
}
