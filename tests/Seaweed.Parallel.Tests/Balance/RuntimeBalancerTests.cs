using Seaweed.Parallel.Balance;
using Xunit.Abstractions;

namespace Seaweed.Parallel.Tests.Balance;

public class RuntimeBalancerTests(ITestOutputHelper output)
{
    private static double[] RandomCosts(Random random, int count) =>
        Enumerable.Range(0, count).Select(_ => Math.Round(1 + 99 * random.NextDouble(), 3)).ToArray();

    private static double Makespan(IReadOnlyList<double> costs, int[][] plan) => BalanceReport.For(costs, plan).Max;

    /// <summary>The optimal makespan by trying every assignment (the first sample fixed on rank 0: ranks are symmetric).</summary>
    private static double Optimum(double[] costs, int ranks)
    {
        var loads = new double[ranks];
        double best = double.MaxValue;
        void Place(int i)
        {
            if (loads.Max() >= best) return;
            if (i == costs.Length)
            {
                best = loads.Max();
                return;
            }
            for (int r = 0; r < (i == 0 ? 1 : ranks); r++)
            {
                loads[r] += costs[i];
                Place(i + 1);
                loads[r] -= costs[i];
            }
        }
        Place(0);
        return best;
    }

    [Fact]
    public void Lpt_is_within_Grahams_bound_of_the_optimum()
    {
        for (int seed = 0; seed < 300; seed++)
        {
            var random = new Random(seed);
            int ranks = 2 + seed % 3, count = ranks + 2 + random.Next(5);
            var costs = RandomCosts(random, count);
            double optimum = Optimum(costs, ranks);
            double lpt = Makespan(costs, RuntimeBalancer.Assign(costs, ranks));
            Assert.True(lpt <= (4.0 / 3 - 1.0 / (3 * ranks)) * optimum + 1e-9, $"seed {seed}: LPT {lpt} vs optimum {optimum}");
            Assert.True(lpt >= optimum - 1e-9);
        }
    }

    [Fact]
    public void Karmarkar_Karp_is_no_worse_than_the_equal_count_split()
    {
        for (int seed = 0; seed < 200; seed++)
        {
            var random = new Random(seed);
            int ranks = 1 + seed % 7, count = random.Next(40);
            var costs = RandomCosts(random, count);
            if (seed % 3 == 0) costs = costs.Select(c => c * c).ToArray(); // heavy-tailed, like quadratic costs
            double kk = Makespan(costs, RuntimeBalancer.Assign(costs, ranks, BalanceMethod.KarmarkarKarp));
            double equal = Makespan(costs, RuntimeBalancer.Assign(costs, ranks, BalanceMethod.EqualCount));
            Assert.True(kk <= equal + 1e-9, $"seed {seed}: KK {kk} vs equal-count {equal}");
        }
    }

    [Fact]
    public void Karmarkar_Karp_differences_the_textbook_example_as_published()
    {
        double[] costs = [8, 7, 6, 5, 4];
        var plan = RuntimeBalancer.Assign(costs, 2, BalanceMethod.KarmarkarKarp);
        // Largest differencing: 8−7 → 1, 6−5 → 1, 4−1 → 3, 3−1 → 2: loads 16 and 14 (the optimum is 15/15).
        Assert.Equal(16, Makespan(costs, plan));
        Assert.Equal([[1, 3, 4], [0, 2]], plan); // the heavier subset on rank 0
    }

    [Theory, InlineData(BalanceMethod.Lpt), InlineData(BalanceMethod.KarmarkarKarp), InlineData(BalanceMethod.EqualCount)]
    public void Plans_hold_every_sample_once_and_are_identical_on_every_call_and_thread(BalanceMethod method)
    {
        var costs = new ImageVideoMix().Lengths(300, seed: 5).Select(l => (double)l * l).ToArray();
        var first = RuntimeBalancer.Assign(costs, 7, method);
        Assert.Equal(Enumerable.Range(0, 300), first.SelectMany(p => p).Order());
        var plans = new int[16][][];
        System.Threading.Tasks.Parallel.For(0, plans.Length, i => plans[i] = RuntimeBalancer.Assign(costs, 7, method));
        Assert.All(plans, p => Assert.Equal(first, p));
    }

    [Fact]
    public void Ties_go_to_the_lowest_rank()
    {
        Assert.Equal([[0, 3], [1], [2]], RuntimeBalancer.Assign([1.0, 1.0, 1.0, 1.0], 3));
        Assert.Equal([[0], [], []], RuntimeBalancer.Assign([5.0], 3));
        Assert.Equal([[0], [], []], RuntimeBalancer.Assign([5.0], 3, BalanceMethod.KarmarkarKarp));
        Assert.Equal([[], [], []], RuntimeBalancer.Assign([], 3, BalanceMethod.KarmarkarKarp));
        Assert.Equal([[0], [1, 2]], RuntimeBalancer.Assign([1.0, 1.0, 1.0], 2, BalanceMethod.EqualCount));
    }

    [Theory, InlineData(BalanceMethod.Lpt), InlineData(BalanceMethod.KarmarkarKarp)]
    public void An_image_video_mix_balances_to_within_five_percent_at_eight_ranks(BalanceMethod method)
    {
        var cost = new CostModel(A: 2e-9, B: 3e-6, C: 1e-3);
        var lengths = new ImageVideoMix().Lengths(8 * 16, seed: 11);
        var costs = lengths.Select(cost.Cost).ToArray();
        var balanced = BalanceReport.For(costs, RuntimeBalancer.Assign(lengths, cost, 8, method));
        var equal = BalanceReport.For(costs, RuntimeBalancer.Assign(costs, 8, BalanceMethod.EqualCount));
        output.WriteLine($"{method}: max/mean {balanced.MaxOverMean:F4}; equal-count {equal.MaxOverMean:F4}");
        Assert.True(balanced.MaxOverMean <= 1.05, $"balanced max/mean {balanced.MaxOverMean:F3}");
        Assert.True(equal.MaxOverMean >= 1.2, $"equal-count max/mean {equal.MaxOverMean:F3}");
    }

    [Fact]
    public void Bad_input_names_the_parameter()
    {
        Assert.Equal("ranks", Assert.Throws<ArgumentOutOfRangeException>(() => RuntimeBalancer.Assign([1.0], 0)).ParamName);
        Assert.Equal("costs", Assert.Throws<ArgumentException>(() => RuntimeBalancer.Assign([1.0, double.NaN], 2)).ParamName);
        Assert.Equal("plan", Assert.Throws<ArgumentException>(() => BalanceReport.For([1.0, 2.0], [[0], [0]])).ParamName);
        Assert.Equal("plan", Assert.Throws<ArgumentException>(() => BalanceReport.For([1.0, 2.0], [[0]])).ParamName);
    }
}
