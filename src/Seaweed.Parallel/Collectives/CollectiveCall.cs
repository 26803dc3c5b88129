using System.Runtime.InteropServices;
using Seaweed.Parallel.Transport;

namespace Seaweed.Parallel.Collectives;

/// <summary>
/// The messages of one collective. Every part gets the tag (group, sequence, part), the part number counting up
/// per peer and direction, so both ends derive the same tags without talking. A logical message is cut into parts
/// of <see cref="CollectiveOptions.MaxMessageBytes"/> and ends with a shorter part (empty if needed): the receiver
/// knows where it ends without a header, which keeps the byte counters equal to the payload.
/// </summary>
internal sealed class CollectiveCall(
    IRankTransport transport, CollectiveOptions options, TrafficCounters traffic,
    string operation, ProcessGroup group, long sequence, CancellationToken cancellationToken)
{
    private readonly Dictionary<int, int> sentParts = [];
    private readonly Dictionary<int, int> receivedParts = [];
    private readonly int partFloats = options.MaxMessageBytes / sizeof(float);

    /// <summary>Copies <paramref name="data"/> into the parts of one logical message.</summary>
    public byte[][] Pack(ReadOnlySpan<float> data)
    {
        var parts = new byte[data.Length / partFloats + 1][];
        for (int p = 0; p < parts.Length; p++)
        {
            var piece = data.Slice(p * partFloats, Math.Min(partFloats, data.Length - p * partFloats));
            parts[p] = MemoryMarshal.AsBytes(piece).ToArray();
        }
        return parts;
    }

    /// <summary>Sends one logical message; the transport owns the arrays from here on.</summary>
    public void Send(int to, byte[][] parts)
    {
        foreach (var part in parts) SendPart(to, part);
    }

    public void SendPart(int to, byte[] part)
    {
        transport.Send(to, new MessageTag(group.Id, sequence, Next(sentParts, to)), part);
        traffic.Sent(part.Length);
    }

    /// <summary>The parts of the next logical message from <paramref name="from"/>, each as soon as it arrives.</summary>
    public IEnumerable<byte[]> ReceiveStream(int from)
    {
        byte[] part;
        do
        {
            part = ReceivePart(from);
            yield return part;
        } while (part.Length == partFloats * sizeof(float));
    }

    public byte[][] Receive(int from) => ReceiveStream(from).ToArray();

    /// <summary>
    /// Receives a logical message of exactly <paramref name="destination"/>'s length and copies it there, passing each
    /// part on to <paramref name="forwardTo"/> (if any) as soon as it arrives.
    /// </summary>
    public void ReceiveInto(int from, Span<float> destination, int? forwardTo = null)
    {
        int offset = 0;
        foreach (var part in ReceiveStream(from))
        {
            if (forwardTo is int to) SendPart(to, part);
            var floats = MemoryMarshal.Cast<byte, float>(part.AsSpan());
            if (offset + floats.Length > destination.Length) throw Mismatch(from, offset + floats.Length, destination.Length);
            floats.CopyTo(destination[offset..]);
            offset += floats.Length;
        }
        if (offset != destination.Length) throw Mismatch(from, offset, destination.Length);
    }

    /// <summary>Checks a received message's parts against the length this rank expects.</summary>
    public void Expect(int from, byte[][] parts, int length)
    {
        long received = Length(parts);
        if (received != length) throw Mismatch(from, received, length);
    }

    /// <summary>The number of floats in a message's parts.</summary>
    public static long Length(byte[][] parts) => parts.Sum(p => (long)p.Length) / sizeof(float);

    /// <summary>Copies a message's parts, in order, to the start of <paramref name="destination"/>; returns the floats copied.</summary>
    public static int Unpack(byte[][] parts, Span<float> destination)
    {
        int offset = 0;
        foreach (var part in parts)
        {
            MemoryMarshal.Cast<byte, float>(part.AsSpan()).CopyTo(destination[offset..]);
            offset += part.Length / sizeof(float);
        }
        return offset;
    }

    private InvalidOperationException Mismatch(int from, long received, int length) =>
        new($"{Where}: rank {from} sent {received} floats where {length} were expected; do all ranks pass tensors of the same size?");

    private byte[] ReceivePart(int from)
    {
        var tag = new MessageTag(group.Id, sequence, Next(receivedParts, from));
        byte[] part;
        try
        {
            part = transport.Receive(from, tag, options.Timeout, cancellationToken);
        }
        catch (CollectiveTimeoutException e)
        {
            throw new CollectiveTimeoutException($"{Where}: {e.Message}");
        }
        if (part.Length % sizeof(float) != 0)
            throw new InvalidOperationException($"{Where}: rank {from} sent {part.Length} bytes under {tag}, not whole float32s");
        traffic.Received(part.Length);
        return part;
    }

    private string Where => $"{operation} #{sequence} of group {group.Id} [{string.Join(",", group.Ranks)}] on rank {transport.Rank}";

    private static int Next(Dictionary<int, int> counters, int peer)
    {
        counters.TryGetValue(peer, out int part);
        counters[peer] = part + 1;
        return part;
    }
}
