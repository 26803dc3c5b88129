using Seaweed.Model;
using Seaweed.Parallel.Balance;

namespace Seaweed.Parallel.Tests.Balance;

public class DitRuntimeProfilerTests
{
    private static readonly SeaweedConfig Tiny = new SeaweedConfig
    {
        Name = "profiler-test",
        Video = new VideoSize(1, 64, 32),
        Dit = new DitConfig { Hidden = 16, Layers = 1, DualStreamLayers = 1, Heads = 2, MlpMultiple = 8 },
        Text = new TextEncoderConfig { VocabSize = 96, UnknownBuckets = 8, MaxTokens = 4, Hidden = 16, Layers = 1, Heads = 2, MlpMultiple = 8 },
    }.Validate();

    [Fact]
    public void Tokens_and_frames_follow_the_latent_grid_and_the_patch()
    {
        using var profiler = new DitRuntimeProfiler(Tiny);
        // 64×32 pixels, VAE ×8 → 8×4 latent, patch 2×2 → 4×2 tokens per frame.
        Assert.Equal(8, profiler.TokensPerFrame);
        Assert.Equal(24, profiler.Tokens(3));
        Assert.Equal(3, profiler.Frames(24));
        Assert.Equal("tokens", Assert.Throws<ArgumentException>(() => profiler.Frames(20)).ParamName);
        Assert.Equal("latentFrames", Assert.Throws<ArgumentOutOfRangeException>(() => profiler.Step(0)).ParamName);
    }

    [Theory, InlineData(StepClock.Wall), InlineData(StepClock.ProcessCpu)]
    public void Profile_times_every_length_once_warm(StepClock clock)
    {
        using var profiler = new DitRuntimeProfiler(Tiny, seed: 1, clock);
        var table = profiler.Profile([1, 2], repeats: 1);
        Assert.Equal([8L, 16L], table.Select(t => t.Tokens));
        Assert.All(table, t => Assert.InRange(t.Seconds, 1e-7, 10));
    }
}
