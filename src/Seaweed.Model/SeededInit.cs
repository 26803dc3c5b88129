using static TorchSharp.torch;

namespace Seaweed.Model;

/// <summary>
/// Modules initialise their weights from libtorch's one process-wide generator. Every seeded construction takes
/// this one lock, so two made at once (two ranks, a VAE trainer beside a DiT trainer) cannot draw from each other's
/// stream and each gets the weights its seed names.
/// </summary>
public static class SeededInit
{
    private static readonly Lock Gate = new();

    public static T Create<T>(long seed, Func<T> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        lock (Gate)
        {
            manual_seed(seed);
            return create();
        }
    }
}
