namespace Seaweed.Grains.Training;

/// <summary>
/// The rank group cannot go on in this epoch: a rank failed, its silo died, or it went silent. A failure that a
/// restart would only repeat (a rank refused its setup: a bad config, an unknown trainer) is <see cref="Permanent"/>.
/// </summary>
internal sealed class RankFailureException(string message, bool permanent = false) : Exception(message)
{
    public bool Permanent { get; } = permanent;
}
