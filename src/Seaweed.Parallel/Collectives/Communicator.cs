using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Seaweed.Parallel.Transport;
using static TorchSharp.torch;

namespace Seaweed.Parallel.Collectives;

/// <summary>
/// One rank's collectives over an <see cref="IRankTransport"/>. Every member of a group must call that group's
/// collectives in the same order: the n-th call of a group is its sequence number n on every member, which is what
/// tags its messages. Different groups may run concurrently on different threads; one group may not.
/// Tensors are float32 (any shape, any device: others are copied to the CPU); the reduce-scatter and all-gather
/// work on the flattened data and return 1-D CPU tensors. Nothing here records autograd.
/// </summary>
public sealed class Communicator
{
    private readonly IRankTransport transport;
    private readonly CollectiveOptions options;
    private readonly ConcurrentDictionary<int, long> sequences = new();

    public Communicator(IRankTransport transport, CollectiveOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        this.transport = transport;
        this.options = (options ?? new CollectiveOptions()).Validated();
    }

    public int Rank => transport.Rank;
    public int WorldSize => transport.WorldSize;
    public CollectiveOptions Options => options;
    public TrafficCounters Traffic { get; } = new();

    /// <summary>
    /// The shard of <paramref name="numel"/> elements that member <paramref name="index"/> of
    /// <paramref name="members"/> holds: boundaries ⌊i·numel/members⌋, so lengths differ by at most one and shards are
    /// empty when numel &lt; members.
    /// </summary>
    public static (long Start, long Length) ShardRange(long numel, int members, int index)
    {
        if (numel < 0) throw new ArgumentOutOfRangeException(nameof(numel), numel, "numel must be non-negative");
        if (members < 1) throw new ArgumentOutOfRangeException(nameof(members), members, "members must be at least 1");
        if (index < 0 || index >= members) throw new ArgumentOutOfRangeException(nameof(index), index, $"index must be in [0, {members})");
        long start = Boundary(numel, members, index);
        return (start, Boundary(numel, members, index + 1) - start);
    }

    private static long Boundary(long numel, int members, int index) => (long)((Int128)numel * index / members);

    /// <summary>Sums <paramref name="tensor"/> over the group, in place: ring reduce-scatter, then ring all-gather.</summary>
    public void AllReduce(ProcessGroup group, Tensor tensor, CancellationToken cancellationToken = default)
    {
        using var lease = TensorMemory.Open(tensor, nameof(tensor));
        var (call, index) = Begin(nameof(AllReduce), group, cancellationToken);
        var data = lease.Floats;
        var own = TensorMemory.Chunk(data, group.Size, index);
        Ring.ReduceScatter(call, group.Ranks, index, data, own);
        var gathered = Ring.AllGather(call, group.Ranks, index, call.Pack(own));
        for (int j = 0; j < group.Size; j++)
            if (j != index) CopyParts(call, group.Ranks[j], gathered[j], TensorMemory.Chunk(data, group.Size, j));
        lease.WriteBack();
    }

    /// <summary>Sums <paramref name="input"/> (flattened) over the group and returns this member's shard of the sum (1-D).</summary>
    public Tensor ReduceScatter(ProcessGroup group, Tensor input, CancellationToken cancellationToken = default)
    {
        using var lease = TensorMemory.Open(input, nameof(input));
        var (call, index) = Begin(nameof(ReduceScatter), group, cancellationToken);
        var data = lease.Floats;
        var result = TensorMemory.Vector(ShardRange(data.Length, group.Size, index).Length);
        Ring.ReduceScatter(call, group.Ranks, index, data, TensorMemory.Floats(result));
        return result;
    }

    /// <summary>The flattened shards of every member, concatenated in group order (shards may differ in length).</summary>
    public Tensor AllGather(ProcessGroup group, Tensor shard, CancellationToken cancellationToken = default)
    {
        using var lease = TensorMemory.Open(shard, nameof(shard));
        var (call, index) = Begin(nameof(AllGather), group, cancellationToken);
        var own = lease.Floats;
        var gathered = Ring.AllGather(call, group.Ranks, index, call.Pack(own));
        var result = TensorMemory.Vector(gathered.Sum(CollectiveCall.Length));
        var output = TensorMemory.Floats(result);
        int offset = 0;
        foreach (var parts in gathered) offset += CollectiveCall.Unpack(parts, output[offset..]);
        return result;
    }

    /// <summary>Sends <paramref name="send"/>[j] (flattened) to member j; result[j] is what member j sent here (1-D).</summary>
    public Tensor[] AllToAll(ProcessGroup group, IReadOnlyList<Tensor> send, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(send);
        var (call, index) = Begin(nameof(AllToAll), group, cancellationToken);
        int n = group.Size;
        if (send.Count != n) throw new ArgumentException($"send has {send.Count} tensors for a group of {n}", nameof(send));
        var result = new Tensor[n];
        // Staggered so that step s pairs every member with the one s places to its right: no peer is everyone's first.
        for (int s = 1; s < n; s++)
        {
            int to = (index + s) % n;
            using var lease = TensorMemory.Open(send[to], $"{nameof(send)}[{to}]");
            call.Send(group.Ranks[to], call.Pack(lease.Floats));
        }
        using (var self = TensorMemory.Open(send[index], $"{nameof(send)}[{index}]"))
        {
            result[index] = TensorMemory.Vector(self.Floats.Length);
            self.Floats.CopyTo(TensorMemory.Floats(result[index]));
        }
        for (int s = 1; s < n; s++)
        {
            int from = Ring.Mod(index - s, n);
            var parts = call.Receive(group.Ranks[from]);
            result[from] = TensorMemory.Vector(CollectiveCall.Length(parts));
            CollectiveCall.Unpack(parts, TensorMemory.Floats(result[from]));
        }
        return result;
    }

    /// <summary>
    /// Overwrites <paramref name="tensor"/> on every member with member <paramref name="rootIndex"/>'s values: a chain
    /// from the root in group order, each part forwarded as soon as it arrives, so no member sends more than once.
    /// </summary>
    public void Broadcast(ProcessGroup group, Tensor tensor, int rootIndex, CancellationToken cancellationToken = default)
    {
        using var lease = TensorMemory.Open(tensor, nameof(tensor));
        var (call, index) = Begin(nameof(Broadcast), group, cancellationToken);
        int n = group.Size;
        if (rootIndex < 0 || rootIndex >= n)
            throw new ArgumentOutOfRangeException(nameof(rootIndex), rootIndex, $"rootIndex must be a member index in [0, {n})");
        int position = Ring.Mod(index - rootIndex, n);
        int? next = position < n - 1 ? group.Ranks[(index + 1) % n] : null;
        var data = lease.Floats;
        if (position == 0)
        {
            if (next is int first) call.Send(first, call.Pack(data));
            return;
        }
        call.ReceiveInto(group.Ranks[Ring.Mod(index - 1, n)], data, next);
        lease.WriteBack();
    }

    /// <summary>Returns once every member has entered: a dissemination barrier, ⌈log₂ n⌉ rounds of empty messages.</summary>
    public void Barrier(ProcessGroup group, CancellationToken cancellationToken = default)
    {
        var (call, index) = Begin(nameof(Barrier), group, cancellationToken);
        int n = group.Size;
        for (int distance = 1; distance < n; distance *= 2)
        {
            call.Send(group.Ranks[(index + distance) % n], call.Pack([]));
            call.Receive(group.Ranks[Ring.Mod(index - distance, n)]);
        }
    }

    private (CollectiveCall Call, int Index) Begin(string operation, ProcessGroup group, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(group);
        foreach (int r in group.Ranks)
            if (r < 0 || r >= WorldSize)
                throw new ArgumentException($"group {group.Id} names rank {r}, outside the world of {WorldSize}", nameof(group));
        int index = group.IndexOf(Rank);
        long sequence = sequences.AddOrUpdate(group.Id, 0, static (_, s) => s + 1);
        return (new CollectiveCall(transport, options, Traffic, operation, group, sequence, cancellationToken), index);
    }

    private static void CopyParts(CollectiveCall call, int from, byte[][] parts, Span<float> destination)
    {
        call.Expect(from, parts, destination.Length);
        CollectiveCall.Unpack(parts, destination);
    }
}
