namespace Seaweed.Grains.Decoding;

/// <summary>
/// A tile could not deliver its halo to a neighbour: the consequence of that neighbour's failure, never the cause of
/// a run's failure when the neighbour's own error is known.
/// </summary>
[GenerateSerializer, Alias("seaweed.decoding.tile-unreachable")]
public sealed class TileUnreachableException(string message) : IOException(message);
