namespace Seaweed.Grains.Training;

/// <summary>The rank group cannot go on in this epoch: a rank failed, its silo died, or it went silent.</summary>
internal sealed class RankFailureException(string message, Exception? inner = null) : Exception(message, inner);
