using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Seaweed.Parallel.Collectives;

/// <summary>
/// Ring reduce-scatter and all-gather over a group's members in group order: each of the n−1 steps sends one
/// chunk (a <see cref="Communicator.ShardRange"/> of the data) to the right neighbour and receives one from the
/// left, so every member sends (n−1)/n of the data per phase.
/// </summary>
internal static class Ring
{
    /// <summary>
    /// Writes the sum over members of chunk <paramref name="index"/> of <paramref name="data"/> into
    /// <paramref name="destination"/> (which may be that chunk of <paramref name="data"/> itself). At step k a member
    /// forwards the running sum of chunk index−k−1 and receives chunk index−k−2, adding its own values into the
    /// received arrays, which become the next step's message: no copy of the data besides the first step's.
    /// </summary>
    public static void ReduceScatter(CollectiveCall call, IReadOnlyList<int> members, int index, Span<float> data, Span<float> destination)
    {
        int n = members.Count;
        int right = members[(index + 1) % n], left = members[(index + n - 1) % n];
        var own = TensorMemory.Chunk(data, n, index);
        if (n == 1)
        {
            own.CopyTo(destination);
            return;
        }
        byte[][] carry = call.Pack(TensorMemory.Chunk(data, n, Mod(index - 1, n)));
        for (int k = 0; k < n - 1; k++)
        {
            call.Send(right, carry);
            int chunk = Mod(index - k - 2, n);
            carry = call.Receive(left);
            var local = TensorMemory.Chunk(data, n, chunk);
            call.Expect(left, carry, local.Length);
            bool last = k == n - 2;
            int offset = 0;
            foreach (var part in carry)
            {
                var sum = MemoryMarshal.Cast<byte, float>(part.AsSpan());
                var mine = local.Slice(offset, sum.Length);
                TensorPrimitives.Add(sum, mine, last ? destination.Slice(offset, sum.Length) : sum);
                offset += sum.Length;
            }
        }
    }

    /// <summary>
    /// Circulates every member's message (<paramref name="own"/> for this one) around the ring; result[j] holds the
    /// parts member j contributed (result[index] = <paramref name="own"/>). Received arrays are forwarded as they are.
    /// </summary>
    public static byte[][][] AllGather(CollectiveCall call, IReadOnlyList<int> members, int index, byte[][] own)
    {
        int n = members.Count;
        int right = members[(index + 1) % n], left = members[(index + n - 1) % n];
        var gathered = new byte[n][][];
        gathered[index] = own;
        var carry = own;
        for (int k = 0; k < n - 1; k++)
        {
            call.Send(right, carry);
            carry = call.Receive(left);
            gathered[Mod(index - k - 1, n)] = carry;
        }
        return gathered;
    }

    public static int Mod(int value, int n) => ((value % n) + n) % n;
}
