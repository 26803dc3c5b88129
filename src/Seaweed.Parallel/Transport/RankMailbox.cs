using System.Collections.Concurrent;

namespace Seaweed.Parallel.Transport;

/// <summary>
/// The payloads that have arrived at one rank, keyed by sender and tag. Arrival and <see cref="Take"/> may come in
/// either order: whichever comes first creates the slot, so a message that arrives before anyone waits for it is kept,
/// and a waiter that comes first blocks until it lands.
/// </summary>
public sealed class RankMailbox
{
    private readonly ConcurrentDictionary<(int From, MessageTag Tag), TaskCompletionSource<byte[]>> slots = new();

    /// <summary>Payloads delivered and not yet taken (plus waiters still blocked): zero once every collective is done.</summary>
    public int Pending => slots.Count;

    /// <summary>Stores <paramref name="payload"/>; the mailbox owns it from now on.</summary>
    public void Deliver(int from, MessageTag tag, byte[] payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (!Slot(from, tag).TrySetResult(payload))
            throw new InvalidOperationException($"a second payload from rank {from} under {tag}: tags must be unique");
    }

    /// <summary>
    /// Removes and returns the payload from <paramref name="from"/> under <paramref name="tag"/>, waiting for it up to
    /// <paramref name="timeout"/> (→ <see cref="CollectiveTimeoutException"/>) unless cancelled (→ <see cref="OperationCanceledException"/>).
    /// </summary>
    public byte[] Take(int from, MessageTag tag, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var slot = Slot(from, tag);
        bool arrived;
        try
        {
            arrived = slot.Task.Wait(timeout, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Forget(from, tag, slot);
            throw;
        }
        if (!arrived)
        {
            Forget(from, tag, slot);
            throw new CollectiveTimeoutException($"no message from rank {from} under {tag} within {timeout}");
        }
        slots.TryRemove(new KeyValuePair<(int, MessageTag), TaskCompletionSource<byte[]>>((from, tag), slot));
        return slot.Task.Result;
    }

    private TaskCompletionSource<byte[]> Slot(int from, MessageTag tag) =>
        slots.GetOrAdd((from, tag), static _ => new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously));

    // A waiter that gives up leaves no slot behind, unless the payload raced in meanwhile: then it stays to be taken.
    private void Forget(int from, MessageTag tag, TaskCompletionSource<byte[]> slot)
    {
        if (!slot.Task.IsCompleted)
            slots.TryRemove(new KeyValuePair<(int, MessageTag), TaskCompletionSource<byte[]>>((from, tag), slot));
    }
}
