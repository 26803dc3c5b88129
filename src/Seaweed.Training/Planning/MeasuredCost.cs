using Seaweed.Model;
using Seaweed.Parallel.Balance;
using Seaweed.Parallel.Collectives;
using Seaweed.Parallel.Transport;
using static TorchSharp.torch;

namespace Seaweed.Training.Planning;

/// <summary>
/// Seaweed's runtime balance on measurements: one rank times the DiT's forward + backward at a few sequence lengths
/// and broadcasts the table, so every rank balances on the same <see cref="LookupCostModel"/> (timings taken on
/// each rank would differ, and so would the ranks' plans).
/// </summary>
public static class MeasuredCost
{
    /// <summary>Lengths profiled: 1..4 temporal patches of latent frames. Beyond them the table follows its quadratic fit.</summary>
    public const int Lengths = 4;

    /// <summary>Profiles on the group's first member and gives its table to all; every member of <paramref name="group"/> calls it together.</summary>
    public static LookupCostModel Agree(SeaweedConfig model, int seed, Communicator communicator, ProcessGroup group)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(communicator);
        ArgumentNullException.ThrowIfNull(group);
        using var table = zeros(2 * Lengths); // joint tokens, then seconds
        if (group.IndexOf(communicator.Rank) == 0)
        {
            using var profiler = new DitRuntimeProfiler(model, seed);
            var frames = Enumerable.Range(1, Lengths).Select(k => k * model.Dit.Patch[0]).ToArray();
            // The profiled sample carries the full text context, as the planner's joint lengths do.
            var measured = profiler.Profile(frames, repeats: 2);
            using var values = tensor(measured.Select(m => (float)(m.Tokens + model.Text.MaxTokens)).Concat(measured.Select(m => (float)m.Seconds)).ToArray());
            table.copy_(values);
        }
        communicator.Broadcast(group, table, rootIndex: 0);
        var v = table.data<float>().ToArray();
        return new LookupCostModel(Enumerable.Range(0, Lengths).Select(i => ((long)v[i], (double)v[Lengths + i])).ToArray());
    }
}
