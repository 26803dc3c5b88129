using static TorchSharp.torch;

namespace Seaweed.Model;

/// <summary>
/// Modules initialise their weights from libtorch's one process-wide generator. Every construction takes this one
/// lock, so two made at once (two ranks, a VAE trainer beside a DiT trainer, a silo loading a model for generation
/// while a rank initialises) cannot draw from each other's stream and each seeded one gets the weights its seed names.
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

    /// <summary>
    /// A construction whose weights are replaced afterwards (loaded, copied, or never materialised): its default
    /// initialisation still draws from the global generator, so it takes the lock too.
    /// </summary>
    public static T Unseeded<T>(Func<T> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        lock (Gate) return create();
    }
}
