namespace Seaweed.Data.World;

/// <summary>
/// SplitMix64: a tiny generator whose output is fixed by its definition, so a seed gives the same world on every
/// runtime version (System.Random makes no such promise). Streams are derived by hashing (seed, index, salt),
/// which makes clip i independent of clips before it: clips can be generated in any order, in parallel.
/// </summary>
public sealed class WorldRandom(ulong state)
{
    private ulong state = state;

    public static WorldRandom For(long seed, long index, string salt) =>
        new(Mix(Mix((ulong)seed ^ Fnv(salt)) ^ (ulong)index));

    public ulong NextULong()
    {
        state += 0x9E3779B97F4A7C15UL;
        return Mix(state);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    public double Uniform(double lo, double hi) => lo + (hi - lo) * NextDouble();

    /// <summary>Uniform integer in [lo, hi).</summary>
    public int Next(int lo, int hi) => hi <= lo ? lo : lo + (int)(NextULong() % (ulong)(hi - lo));

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(0, items.Count)];

    public bool Chance(double p) => NextDouble() < p;

    /// <summary>Standard normal (Box–Muller).</summary>
    public double Gaussian()
    {
        double u = 1.0 - NextDouble(), v = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong Fnv(string s)
    {
        ulong h = 14695981039346656037UL;
        foreach (char c in s) h = (h ^ c) * 1099511628211UL;
        return h;
    }
}
