using System.Collections.Concurrent;

namespace Seaweed.Model.Tiling;

/// <summary>
/// The payloads that have arrived at one tile, by sender and tag. Arrival and <see cref="Take"/> may come in either
/// order: whichever comes first makes the slot, so an early message is kept and an early taker waits.
/// </summary>
public sealed class TileMailbox
{
    private readonly ConcurrentDictionary<(int From, TileTag Tag), TaskCompletionSource<byte[]>> slots = new();

    public void Deliver(int from, TileTag tag, byte[] payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (!Slot(from, tag).TrySetResult(payload))
            throw new InvalidOperationException($"a second payload from tile {from} under {tag}: tags must be unique");
    }

    public byte[] Take(int from, TileTag tag, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var slot = Slot(from, tag);
        try
        {
            if (!slot.Task.Wait(timeout, cancellationToken))
                throw new TimeoutException($"no message from tile {from} under {tag} within {timeout}");
        }
        catch when (!slot.Task.IsCompleted)
        {
            // A taker that gives up leaves no slot behind, unless the payload raced in meanwhile: then it stays.
            slots.TryRemove(new KeyValuePair<(int, TileTag), TaskCompletionSource<byte[]>>((from, tag), slot));
            throw;
        }
        slots.TryRemove(new KeyValuePair<(int, TileTag), TaskCompletionSource<byte[]>>((from, tag), slot));
        return slot.Task.Result;
    }

    private TaskCompletionSource<byte[]> Slot(int from, TileTag tag) =>
        slots.GetOrAdd((from, tag), static _ => new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously));
}
