using Seaweed.Parallel.Collectives;
using Seaweed.Parallel.Transport;
using static TorchSharp.torch;

namespace Seaweed.Parallel.Sharding;

/// <summary>
/// How an all-to-all re-cuts a tensor over the P members of <see cref="Group"/>: the local tensor is split along
/// <see cref="SplitDim"/> into <see cref="SplitSizes"/> (piece j goes to member j), and the pieces received are
/// concatenated along <see cref="CatDim"/>, where member j's piece is <see cref="CatSizes"/>[j] long.
/// </summary>
internal sealed record Redistribution(Communicator Communicator, ProcessGroup Group, int SplitDim, long[] SplitSizes, int CatDim, long[] CatSizes)
{
    /// <summary>The all-to-all that undoes this one: the gradient of this one's output goes back through it.</summary>
    public Redistribution Reverse => this with { SplitDim = CatDim, SplitSizes = CatSizes, CatDim = SplitDim, CatSizes = SplitSizes };

    /// <summary>This member's part of <paramref name="x"/> after the all-to-all.</summary>
    public Tensor Apply(Tensor x)
    {
        int index = Group.IndexOf(Communicator.Rank);
        if (x.shape[SplitDim] != SplitSizes.Sum() || x.shape[CatDim] != CatSizes[index])
            throw new ArgumentException(
                $"shape [{string.Join(",", x.shape)}] does not split into [{string.Join(",", SplitSizes)}] along dim {SplitDim} " +
                $"with {CatSizes[index]} along dim {CatDim}", nameof(x));
        using var scope = NewDisposeScope();
        var received = Communicator.AllToAll(Group, x.split(SplitSizes, SplitDim));
        var pieces = received.Select((piece, j) =>
        {
            long[] shape = x.shape.ToArray();
            shape[SplitDim] = SplitSizes[index];
            shape[CatDim] = CatSizes[j];
            return piece.view(shape).to(x.device);
        });
        return cat(pieces.ToArray(), CatDim).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// An all-to-all inside autograd: forward re-cuts the tensor by a <see cref="Redistribution"/>, backward sends the
/// gradient back by its <see cref="Redistribution.Reverse"/>. The collective blocks until every member takes part,
/// so every member's backward runs these in the same order (the blocks' data dependencies fix that order).
/// </summary>
internal sealed class UlyssesAllToAll : autograd.SingleTensorFunction<UlyssesAllToAll>
{
    public override string Name => nameof(UlyssesAllToAll);

    /// <param name="vars">the tensor, then its <see cref="Redistribution"/>.</param>
    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var redistribution = (Redistribution)vars[1];
        ctx.save_data(nameof(Redistribution), redistribution);
        return redistribution.Apply((Tensor)vars[0]);
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output) =>
        [((Redistribution)ctx.get_data(nameof(Redistribution))).Reverse.Apply(grad_output), null!];
}
