using static TorchSharp.torch;

namespace Seaweed.Model;

/// <summary>
/// Runs one block: inputs = [text, video, emb] (all may need grad), outputs = [text, video]. <paramref name="run"/>
/// is the block's forward over those inputs; a runner may call it again (recompute) during backward, so every
/// tensor that may need a gradient passes through <paramref name="inputs"/>.
/// </summary>
public delegate Tensor[] BlockRunner(int layer, MMDiTBlock block, Func<Tensor[], Tensor[]> run, Tensor[] inputs);

/// <summary>How one DiT forward is executed: how blocks run (e.g. activation checkpointing) and which tokens this rank computes.</summary>
/// <param name="Runner">null runs each block directly.</param>
/// <param name="Shard">null computes the whole sequence on this rank.</param>
/// <param name="Attention">null computes attention with <see cref="AttentionKernel.Sdpa"/>.</param>
public sealed record DitExecution(BlockRunner? Runner = null, SequenceShard? Shard = null, IAttentionKernel? Attention = null)
{
    internal static readonly BlockRunner Direct = (_, _, run, inputs) => run(inputs);
}

/// <summary>
/// Moves attention operands between the sequence-sharded layout (all heads, this rank's tokens) and the
/// head-sharded layout (all tokens, heads/P of them) across the P members of a context-parallel group (Ulysses).
/// </summary>
public interface IAttentionExchange
{
    /// <summary>P, the members of the context-parallel group.</summary>
    int Members { get; }

    /// <summary>q, k, v each (B, heads, L_local, hd) → (B, heads/P, L, hd), tokens in member order.</summary>
    /// <param name="lengths">L_local of every member, in member order; they sum to L.</param>
    (Tensor Q, Tensor K, Tensor V) ToHeadShards(Tensor q, Tensor k, Tensor v, IReadOnlyList<long> lengths);

    /// <summary>The attention output (B, heads/P, L, hd) → (B, heads, L_local, hd): the inverse of <see cref="ToHeadShards"/>.</summary>
    Tensor ToSequenceShards(Tensor output, IReadOnlyList<long> lengths);
}

/// <summary>One member holds every token and head: nothing moves.</summary>
internal sealed class IdentityExchange : IAttentionExchange
{
    public static readonly IdentityExchange Instance = new();
    public int Members => 1;
    public (Tensor Q, Tensor K, Tensor V) ToHeadShards(Tensor q, Tensor k, Tensor v, IReadOnlyList<long> lengths) => (q, k, v);
    public Tensor ToSequenceShards(Tensor output, IReadOnlyList<long> lengths) => output;
}

/// <summary>
/// This rank's part of the joint [text, video] token sequence of length L under context parallelism: member
/// <see cref="Index"/> of <see cref="Count"/> holds tokens [⌊i·L/P⌋, ⌊(i+1)·L/P⌋).
/// </summary>
public sealed record SequenceShard(int Index, int Count, IAttentionExchange Exchange)
{
    /// <summary>One rank computing everything.</summary>
    public static SequenceShard Whole { get; } = new(0, 1, IdentityExchange.Instance);

    public static long Boundary(int index, int members, long length) => index * length / members;

    /// <summary>L_local of every member, in member order.</summary>
    public long[] Lengths(long length) =>
        Enumerable.Range(0, Count).Select(i => Boundary(i + 1, Count, length) - Boundary(i, Count, length)).ToArray();

    /// <summary>This member's tokens of a sequence of <paramref name="textTokens"/> text then <paramref name="videoTokens"/> video tokens.</summary>
    public TokenSpan Span(long textTokens, long videoTokens)
    {
        long length = textTokens + videoTokens;
        return new TokenSpan(Boundary(Index, Count, length), Boundary(Index + 1, Count, length), textTokens);
    }

    /// <summary>Throws <see cref="ConfigException"/> unless this shard can split <paramref name="length"/> tokens of a DiT with <paramref name="dit"/>'s heads.</summary>
    public SequenceShard Validate(DitConfig dit, long length)
    {
        if (Count < 1) throw new ConfigException("cp", $"{Count} context-parallel ranks: need at least 1");
        if (Exchange.Members != Count)
            throw new ConfigException("cp", $"the shard has {Count} context-parallel ranks but its exchange has {Exchange.Members} members");
        if (Index < 0 || Index >= Count)
            throw new ConfigException("sequenceShard.index", $"{Index} is outside [0, {Count})");
        if (dit.Heads % Count != 0)
            throw new ConfigException("cp", $"{Count} context-parallel ranks do not divide dit.heads = {dit.Heads}: Ulysses shards attention by heads");
        if (length < Count)
            throw new ConfigException("sequenceShard", $"{length} tokens cannot be split over {Count} context-parallel ranks");
        return this;
    }
}

/// <summary>Tokens [Start, End) of a joint sequence whose first <see cref="TextTokens"/> tokens are text.</summary>
public readonly record struct TokenSpan(long Start, long End, long TextTokens)
{
    public long Length => End - Start;
    public long TextStart => Math.Min(Start, TextTokens);
    public long TextLength => Math.Min(End, TextTokens) - TextStart;
    /// <summary>The first video token of the span, counted from the first video token of the sequence.</summary>
    public long VideoStart => Math.Max(Start, TextTokens) - TextTokens;
    public long VideoLength => Math.Max(End, TextTokens) - TextTokens - VideoStart;
}
