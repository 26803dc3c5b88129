using Seaweed.Data.World;

namespace Seaweed.Training.Samples;

/// <summary>
/// Counter-based randomness: every draw for sample i of step s comes from a stream keyed by (seed, s, i, purpose),
/// never from a generator that advances with use, so resuming at step s reproduces its draws exactly.
/// </summary>
public static class Draws
{
    public static WorldRandom For(long seed, long step, long sample, string purpose) =>
        WorldRandom.For(unchecked((long)WorldRandom.For(seed, step, purpose).NextULong()), sample, purpose);

    /// <summary>A seed for a torch generator (noise, time) of one sample.</summary>
    public static ulong TorchSeed(long seed, long step, long sample, string purpose) => For(seed, step, sample, purpose).NextULong();

    /// <summary>A sub-seed for one named stream of a source.</summary>
    public static long Stream(long seed, string purpose) => unchecked((long)WorldRandom.For(seed, 0, purpose).NextULong());
}
