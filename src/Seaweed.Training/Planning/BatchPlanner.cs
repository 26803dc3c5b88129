using Seaweed.Model;
using Seaweed.Parallel.Balance;
using Seaweed.Training.Samples;

namespace Seaweed.Training.Planning;

/// <summary>
/// Plans global batches. Every stage takes a fixed share of images per batch (Seaweed mixes images and videos at a
/// fixed ratio within each batch); each sample's size, frames, task, caption and text dropout are drawn from
/// (seed, step, index), and the batch is split over the data ranks by <see cref="RuntimeBalancer"/> on predicted
/// cost, which moves samples only within the batch, so data order is kept.
/// </summary>
public sealed class BatchPlanner
{
    private readonly TrainingConfig config;
    private readonly ISampleSource source;
    private readonly ISampleCost cost;
    private readonly BalanceMethod method;

    /// <param name="cost">Predicted runtime by sequence length (a measured table in production); FLOPs when null.</param>
    public BatchPlanner(TrainingConfig config, ISampleSource source, ISampleCost? cost = null, BalanceMethod method = BalanceMethod.Lpt)
    {
        ArgumentNullException.ThrowIfNull(config);
        this.config = config;
        this.source = source ?? throw new ArgumentNullException(nameof(source));
        this.cost = cost ?? FlopCost(config.ModelConfig);
        this.method = method;
        Curriculum = new Curriculum(config);
    }

    public Curriculum Curriculum { get; }

    /// <summary>The runtime prediction the batches are balanced on.</summary>
    public ISampleCost Cost => cost;

    /// <summary>
    /// Training FLOPs of one sample of L joint tokens: 6·N per token for the weights and 12·layers·d·L for
    /// attention (the PaLM estimate), so cost = 12·layers·d·L² + 6·N·L.
    /// </summary>
    public static CostModel FlopCost(SeaweedConfig model) =>
        new(12.0 * model.Dit.Layers * model.Dit.Hidden, 6.0 * HybridStreamDiT.ParameterCount(model), 0);

    public BatchPlan Plan(long step, DataCursor cursor)
    {
        var stage = Curriculum.At(step);
        int batch = config.GlobalBatch;
        int images = (int)Math.Round(stage.Config.EffectiveImageShare * batch, MidpointRounding.AwayFromZero);
        var samples = new PlannedSample[batch];
        for (int i = 0; i < batch; i++)
        {
            bool image = i < images;
            var clip = image
                ? source.Describe(Modality.Image, cursor.Images + i)
                : source.Describe(Modality.Video, cursor.Videos + i - images);
            samples[i] = Sample(step, i, stage.Config, clip);
        }
        var assignment = RuntimeBalancer.Assign(samples.Select(s => s.Cost).ToArray(), config.Parallel.DataRanks, method);
        return new BatchPlan(step, stage, cursor, cursor.Advance(images, batch - images), samples, assignment);
    }

    private PlannedSample Sample(long step, int index, StageConfig stage, SourceClip clip)
    {
        var model = config.ModelConfig;
        // Every draw is taken in a fixed order whatever the branch, so one choice never shifts another.
        var rng = Draws.For(config.Seed, step, index, "plan");
        int resolution = clip.Modality == Modality.Image ? rng.Pick(stage.Images!.Resolutions) : stage.Videos!.Resolution;
        int wanted = clip.Modality == Modality.Image ? 1 : rng.Pick(stage.Videos!.Frames);
        double offsetDraw = rng.NextDouble(), taskDraw = rng.NextDouble();
        bool dropText = rng.Chance(config.TextDropout), shortCaption = rng.Chance(config.Data.ShortCaptionShare);

        int frames = StageSizes.UsableFrames(model, wanted, clip.Frames);
        int offset = (int)(offsetDraw * (clip.Frames - frames + 1));
        var (width, height) = StageSizes.Fit(model, clip.Width, clip.Height, resolution);
        long latentFrames = model.LatentGrid(new VideoSize(frames, height, width)).Frames;
        var task = latentFrames > 1 ? config.Tasks.Pick(taskDraw) : GenerationTask.TextToVideo;
        long videoTokens = StageSizes.VideoTokens(model, frames, height, width), textTokens = model.Text.MaxTokens;
        return new PlannedSample(index, clip, width, height, frames, offset, task, dropText, shortCaption,
            videoTokens, textTokens, cost.Cost(videoTokens + textTokens));
    }
}
