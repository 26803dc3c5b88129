using Seaweed.Data;
using Seaweed.Model;
using Seaweed.Training.Samples;

namespace Seaweed.Training.Planning;

/// <summary>
/// One sample of a global batch: which item, cut and resized how, for which task, and what it costs.
/// <see cref="Index"/> is its position in the batch: the key of its random draws (noise, time).
/// </summary>
public sealed record PlannedSample(
    int Index,
    SourceClip Clip,
    int Width,
    int Height,
    int Frames,
    int FrameOffset,
    GenerationTask Task,
    bool DropText,
    bool ShortCaption,
    long VideoTokens,
    long TextTokens,
    double Cost)
{
    /// <summary>The joint [text, video] sequence length.</summary>
    public long Tokens => TextTokens + VideoTokens;

    /// <summary>The caption the sample trains on; the empty prompt when its text is dropped.</summary>
    public string Prompt => DropText ? "" : ShortCaption ? Clip.ShortCaption : Clip.Caption;
}

/// <summary>
/// The global batch of one step and its split over the data ranks. Every rank computes the same plan from
/// (config, step, cursor); <see cref="Next"/> is the cursor the following step starts from.
/// </summary>
public sealed record BatchPlan(long Step, CurriculumStage Stage, DataCursor Cursor, DataCursor Next, IReadOnlyList<PlannedSample> Samples, int[][] Assignment)
{
    /// <summary>The samples data rank <paramref name="dataRank"/> trains on, in batch order.</summary>
    public IReadOnlyList<PlannedSample> ForDataRank(int dataRank)
    {
        if ((uint)dataRank >= (uint)Assignment.Length)
            throw new ArgumentOutOfRangeException(nameof(dataRank), dataRank, $"the plan has data ranks 0..{Assignment.Length - 1}");
        return Assignment[dataRank].Select(i => Samples[i]).ToArray();
    }

    public long Tokens => Samples.Sum(s => s.Tokens);

    /// <summary>Predicted cost per data rank.</summary>
    public double[] Loads => Assignment.Select(a => a.Sum(i => Samples[i].Cost)).ToArray();
}

/// <summary>A sample's pixels, cut to its planned frames and resized to its planned size.</summary>
public sealed record PreparedSample(PlannedSample Plan, VideoFrames Pixels);

/// <summary>A step's plan and this data rank's prepared samples.</summary>
public sealed record PreparedBatch(BatchPlan Plan, IReadOnlyList<PreparedSample> Samples);
