using Seaweed.Model;
using Seaweed.Training.Planning;
using Seaweed.Training.Samples;

namespace Seaweed.Training.Tests;

public class BatchPlannerTests
{
    private static readonly TrainingConfig Config = TrainingConfig.FromJson(
        """{"model": "tiny", "parallel": {"ranks": 4, "dp": 4}, "steps": 100, "globalBatch": 8, "seed": 5, "data": {"seed": 2}}""");

    private static BatchPlanner Planner() => new(Config, new WorldSampleSource(Config.Data.Seed, 17));

    [Fact]
    public void Every_rank_computes_the_same_plan()
    {
        var a = Planner().Plan(70, new DataCursor(100, 40));
        var b = Planner().Plan(70, new DataCursor(100, 40));
        Assert.Equal(a.Samples, b.Samples);
        Assert.Equal(a.Assignment, b.Assignment);
        Assert.Equal(a.Next, b.Next);
    }

    [Fact]
    public void Image_only_stage_then_a_fixed_image_share_per_batch()
    {
        var planner = Planner();
        var first = planner.Plan(0, default);
        Assert.All(first.Samples, s => Assert.Equal((Modality.Image, 1, GenerationTask.TextToVideo), (s.Clip.Modality, s.Frames, s.Task)));
        Assert.Equal(new DataCursor(8, 0), first.Next);

        var mixed = planner.Plan(40, new DataCursor(320, 0)); // stage "low-video": half images
        Assert.Equal("low-video", mixed.Stage.Name);
        Assert.Equal(4, mixed.Samples.Count(s => s.Clip.Modality == Modality.Image));
        Assert.Equal(new DataCursor(324, 4), mixed.Next);
        Assert.Equal([320L, 321, 322, 323, 0, 1, 2, 3], mixed.Samples.Select(s => s.Clip.Index));
        Assert.All(mixed.Samples.Where(s => s.Clip.Modality == Modality.Video), s => Assert.Equal(9, s.Frames));
    }

    [Fact]
    public void Sizes_are_on_the_stage_area_and_tokens_count_the_joint_sequence()
    {
        var planner = Planner();
        var plan = planner.Plan(90, new DataCursor(0, 0)); // stage "full": video at 64², 17 frames
        foreach (var s in plan.Samples)
        {
            Assert.Equal(0, s.Width % 16);
            Assert.Equal(0, s.Height % 16);
            Assert.InRange(s.Width * s.Height, 0.55 * 64 * 64, 1.45 * 64 * 64);
            Assert.InRange(s.FrameOffset, 0, s.Clip.Frames - s.Frames);
            Assert.Equal(StageSizes.VideoTokens(Presets.Tiny, s.Frames, s.Height, s.Width) + Presets.Tiny.Text.MaxTokens, s.Tokens);
        }
    }

    [Fact]
    public void Task_mix_and_text_dropout_follow_the_config()
    {
        var planner = Planner();
        var videos = new List<PlannedSample>();
        var cursor = new DataCursor(0, 0);
        for (long step = 40; step < 90; step++)
        {
            var plan = planner.Plan(step, cursor);
            cursor = plan.Next;
            videos.AddRange(plan.Samples.Where(s => s.Clip.Modality == Modality.Video));
        }
        double Share(Func<PlannedSample, bool> f) => videos.Count(f) / (double)videos.Count;
        Assert.Equal(200, videos.Count);
        Assert.InRange(Share(s => s.Task == GenerationTask.ImageToVideo), 0.12, 0.28);
        Assert.InRange(Share(s => s.Task == GenerationTask.VideoToVideo), 0.04, 0.16);
        Assert.InRange(Share(s => s.DropText), 0.05, 0.15);
        Assert.All(videos.Where(s => s.DropText), s => Assert.Equal("", s.Prompt));
    }

    [Fact]
    public void The_balancer_gives_every_data_rank_samples_and_evens_their_cost()
    {
        var plan = Planner().Plan(50, new DataCursor(0, 0));
        Assert.Equal(Enumerable.Range(0, 8), plan.Assignment.SelectMany(a => a).Order());
        Assert.All(plan.Assignment, a => Assert.NotEmpty(a));
        Assert.Equal(plan.Samples.Count, Enumerable.Range(0, 4).Sum(d => plan.ForDataRank(d).Count));
        var loads = plan.Loads;
        double largest = plan.Samples.Max(s => s.Cost);
        Assert.True(loads.Max() - loads.Min() <= largest, $"loads {string.Join(", ", loads)}");
    }

    [Fact]
    public void Look_ahead_prepares_the_next_step_and_rebuilds_after_a_jump()
    {
        var source = new WorldSampleSource(Config.Data.Seed, 17);
        var planner = new BatchPlanner(Config, source);
        using var ahead = new BatchLookAhead(planner, source, dataRank: 1);
        var first = ahead.Take(40, default);
        Assert.Equal(first.Plan.ForDataRank(1), first.Samples.Select(s => s.Plan));
        Assert.All(first.Samples, s => Assert.Equal((s.Plan.Width, s.Plan.Height, s.Plan.Frames), (s.Pixels.Width, s.Pixels.Height, s.Pixels.FrameCount)));
        var second = ahead.Take(41, first.Plan.Next);
        Assert.Equal(planner.Plan(41, first.Plan.Next).Samples, second.Plan.Samples);
        var jumped = ahead.Take(10, new DataCursor(5, 5));
        Assert.Equal((10L, new DataCursor(5, 5)), (jumped.Plan.Step, jumped.Plan.Cursor));
    }

    /// <summary>A source whose reads outside <see cref="Allowed"/> wait until they are cancelled.</summary>
    private sealed class StallingSource(ISampleSource inner) : ISampleSource
    {
        public HashSet<(Modality, long)> Allowed { get; } = [];
        public int Cancelled;
        public ManualResetEventSlim Stalled { get; } = new();
        public string Name => inner.Name;
        public SourceClip Describe(Modality modality, long index) => inner.Describe(modality, index);
        public IEnumerable<string> Corpus() => inner.Corpus();

        public async Task<Data.VideoFrames> ReadAsync(SourceClip clip, CancellationToken cancellationToken = default)
        {
            if (Allowed.Contains((clip.Modality, clip.Index))) return await inner.ReadAsync(clip, cancellationToken);
            Stalled.Set();
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(30), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref Cancelled);
                throw;
            }
            throw new TimeoutException("the look-ahead was not cancelled");
        }
    }

    [Fact]
    public void Disposing_the_look_ahead_cancels_the_preparation_under_way_and_waits_for_it()
    {
        var source = new StallingSource(new WorldSampleSource(Config.Data.Seed, 17));
        var planner = new BatchPlanner(Config, source);
        foreach (var s in planner.Plan(40, default).ForDataRank(1)) source.Allowed.Add((s.Clip.Modality, s.Clip.Index));
        var ahead = new BatchLookAhead(planner, source, dataRank: 1);
        ahead.Take(40, default); // starts step 41, whose reads stall
        Assert.True(source.Stalled.Wait(TimeSpan.FromSeconds(10)), "the look-ahead never read step 41");
        ahead.Dispose();
        Assert.Equal(1, Volatile.Read(ref source.Cancelled));
        Assert.Throws<ObjectDisposedException>(() => ahead.Take(41, default));
    }
}
