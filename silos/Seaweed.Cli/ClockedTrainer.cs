using System.Diagnostics;
using Seaweed.Grains.Training;
using Seaweed.Parallel.Transport;
using Seaweed.Training.Checkpoints;
using static TorchSharp.torch;

namespace Seaweed.Cli;

/// <summary>What one rank's last step cost on its device thread, and how much of it went to the transport.</summary>
internal readonly record struct RankClock(double DeviceSeconds, double TransportSeconds);

/// <summary>
/// The recipe's trainer (<see cref="RecipeTrainer"/>) with a clock on each rank: its step's time on the device
/// thread, the part of it spent in the transport (<see cref="TimedTransport"/>), and libtorch's intra-op threads on
/// that thread (libtorch fixes them per thread at the thread's first op). Both paths of
/// <c>bench grain-overhead</c> make their trainers through one of these, so they build, step and clock them alike.
/// </summary>
internal sealed class ClockedTrainer(int ranks) : IRankTrainerFactory
{
    private readonly RecipeTrainer recipe = new();
    private readonly RankClock[] clocks = new RankClock[ranks];
    private readonly int[] threads = new int[ranks];

    /// <summary>Each rank's last step; read after the step's call has returned.</summary>
    public IReadOnlyList<RankClock> Last => clocks;

    /// <summary>libtorch's intra-op threads on each rank's device thread.</summary>
    public IReadOnlyList<int> Threads => threads;

    public IRankTrainer Create(RankContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        threads[context.Rank] = get_num_threads();
        var transport = new TimedTransport(context.Transport);
        return new Rank(this, context.Rank, transport, recipe.Create(context with { Transport = transport }));
    }

    private sealed class Rank(ClockedTrainer owner, int rank, TimedTransport transport, IRankTrainer trainer) : IRankTrainer
    {
        public RankStepMetrics Step(long step, CancellationToken cancellationToken)
        {
            double transportBefore = transport.Seconds;
            long start = Stopwatch.GetTimestamp();
            var metrics = trainer.Step(step, cancellationToken);
            owner.clocks[rank] = new RankClock(Stopwatch.GetElapsedTime(start).TotalSeconds, transport.Seconds - transportBefore);
            return metrics;
        }

        public RankSnapshot Snapshot() => trainer.Snapshot();

        public void Restore(RankSnapshot snapshot) => trainer.Restore(snapshot);

        public void Dispose() => trainer.Dispose();
    }
}
