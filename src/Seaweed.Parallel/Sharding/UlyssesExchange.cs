using Seaweed.Model;
using Seaweed.Parallel.Collectives;
using Seaweed.Parallel.Transport;
using static TorchSharp.torch;

namespace Seaweed.Parallel.Sharding;

/// <summary>
/// DeepSpeed-Ulysses context parallelism over one context group of P ranks: before attention an all-to-all turns
/// this rank's tokens with all heads into all tokens with heads/P, and after it a second one turns the output back.
/// Per layer forward each rank sends 3·(P−1)·L_i·d/P (q, k, v) + (L − L_i)·d/P (output) elements per sample, for
/// its L_i of the L tokens and hidden size d: 4·(L/P)·d·(P−1)/P when P divides L.
/// </summary>
public sealed class UlyssesExchange : IAttentionExchange
{
    private readonly Communicator communicator;
    private readonly ProcessGroup group;
    private readonly int heads;

    /// <param name="group">the context group: ranks holding the same samples, each a slice of their sequence.</param>
    /// <param name="heads">the DiT's attention heads; the group's size must divide them.</param>
    public UlyssesExchange(Communicator communicator, ProcessGroup group, int heads)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        ArgumentNullException.ThrowIfNull(group);
        if (heads % group.Size != 0)
            throw new ConfigException("cp", $"{group.Size} context-parallel ranks do not divide {heads} attention heads: Ulysses shards attention by heads");
        this.communicator = communicator;
        this.group = group;
        this.heads = heads;
        Shard = new SequenceShard(group.IndexOf(communicator.Rank), group.Size, this);
    }

    public int Members => group.Size;

    /// <summary>This rank's sequence shard, for <see cref="DitExecution.Shard"/>.</summary>
    public SequenceShard Shard { get; }

    public (Tensor Q, Tensor K, Tensor V) ToHeadShards(Tensor q, Tensor k, Tensor v, IReadOnlyList<long> lengths)
    {
        using var scope = NewDisposeScope();
        // One all-to-all for q, k and v: (3, B, heads, L_local, hd) → (3, B, heads/P, L, hd).
        var qkv = UlyssesAllToAll.apply(stack([q, k, v]), HeadsToTokens(headDim: 2, tokenDim: 3, lengths)).unbind(0);
        return (qkv[0].MoveToOuterDisposeScope(), qkv[1].MoveToOuterDisposeScope(), qkv[2].MoveToOuterDisposeScope());
    }

    /// <summary>(B, heads/P, L, hd) → (B, heads, L_local, hd).</summary>
    public Tensor ToSequenceShards(Tensor output, IReadOnlyList<long> lengths) =>
        UlyssesAllToAll.apply(output, HeadsToTokens(headDim: 1, tokenDim: 2, lengths).Reverse);

    /// <summary>Splits the heads into P equal groups, one per member, and gathers every member's tokens.</summary>
    private Redistribution HeadsToTokens(int headDim, int tokenDim, IReadOnlyList<long> lengths)
    {
        if (lengths.Count != Members)
            throw new ArgumentException($"{lengths.Count} shard lengths for {Members} context-parallel ranks", nameof(lengths));
        long[] headGroups = Enumerable.Repeat((long)(heads / Members), Members).ToArray();
        return new Redistribution(communicator, group, headDim, headGroups, tokenDim, lengths.ToArray());
    }
}
