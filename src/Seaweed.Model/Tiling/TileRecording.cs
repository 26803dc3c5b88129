using System.Collections.Concurrent;

namespace Seaweed.Model.Tiling;

/// <summary>
/// What each tile received during a decode, so that one tile can decode again alone, its neighbours played back:
/// the way to measure one tile's own memory and time on a machine that ran them all.
/// </summary>
public sealed class TileRecording
{
    private readonly ConcurrentDictionary<(int Tile, int From, TileTag Tag), byte[]> received = new();

    /// <summary>Bytes received by all tiles: held by the recording, outside any tile's measurement.</summary>
    public long Bytes => received.Values.Sum(p => (long)p.Length);

    /// <summary><paramref name="inner"/>, keeping a reference to every payload tile <paramref name="tile"/> receives.</summary>
    public ITileTransport Record(int tile, ITileTransport inner) => new Recorder(this, tile, inner);

    /// <summary>A transport for tile <paramref name="tile"/> alone: sends go nowhere, receives return what it got when recorded.</summary>
    public ITileTransport Replay(int tile) => new Player(this, tile);

    private sealed class Recorder(TileRecording recording, int tile, ITileTransport inner) : ITileTransport
    {
        public void Send(int to, TileTag tag, byte[] payload) => inner.Send(to, tag, payload);

        public byte[] Receive(int from, TileTag tag, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var payload = inner.Receive(from, tag, timeout, cancellationToken);
            recording.received[(tile, from, tag)] = payload;
            return payload;
        }
    }

    private sealed class Player(TileRecording recording, int tile) : ITileTransport
    {
        public void Send(int to, TileTag tag, byte[] payload) { }

        public byte[] Receive(int from, TileTag tag, TimeSpan timeout, CancellationToken cancellationToken) =>
            recording.received.TryGetValue((tile, from, tag), out var payload)
                ? payload
                : throw new InvalidOperationException($"tile {tile} received nothing from tile {from} under {tag} when recorded");
    }
}
