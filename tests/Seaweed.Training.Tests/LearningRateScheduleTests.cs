namespace Seaweed.Training.Tests;

public class LearningRateScheduleTests
{
    [Fact]
    public void Warm_up_is_linear_then_constant()
    {
        var s = new LearningRateSchedule(new OptimizerConfig { Lr = 1e-3, WarmupSteps = 4 }, 100);
        Assert.Equal([2.5e-4, 5e-4, 7.5e-4, 1e-3, 1e-3], Enumerable.Range(0, 5).Select(i => s.At(i)), new Tolerance(1e-15));
        Assert.Equal(1e-3, s.At(99));
    }

    [Fact]
    public void Cosine_starts_at_lr_after_warm_up_and_reaches_min_lr_at_the_last_step()
    {
        var s = new LearningRateSchedule(new OptimizerConfig { Lr = 1e-3, MinLr = 1e-4, WarmupSteps = 10, Schedule = "cosine" }, 111);
        Assert.Equal(1e-4, s.At(0));
        Assert.Equal(1e-3, s.At(9));
        Assert.Equal(1e-3, s.At(10), 15);
        Assert.Equal(5.5e-4, s.At(60), 15); // halfway through the 101 decay steps
        Assert.Equal(1e-4, s.At(110), 15);
        Assert.Throws<ArgumentOutOfRangeException>(() => s.At(111));
    }

    [Fact]
    public void No_warm_up_starts_at_full_lr()
    {
        var s = new LearningRateSchedule(new OptimizerConfig { Lr = 2e-4, WarmupSteps = 0 }, 5);
        Assert.Equal(2e-4, s.At(0));
    }

    private sealed class Tolerance(double eps) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= eps;
        public int GetHashCode(double x) => 0;
    }
}
