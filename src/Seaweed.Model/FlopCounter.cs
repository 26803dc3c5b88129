using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Seaweed.Model;

/// <summary>
/// Counts the forward FLOPs (2 per multiply-add) of matmuls, convolutions and attention run on this thread
/// while a counter is open. Linear and Conv3d layers are counted through forward hooks from
/// <see cref="Instrument"/>; attention reports itself.
/// </summary>
public sealed class FlopCounter : IDisposable
{
    [ThreadStatic] private static FlopCounter? current;
    private readonly FlopCounter? previous;

    public long Flops { get; private set; }

    private FlopCounter()
    {
        previous = current;
        current = this;
    }

    public static FlopCounter Start() => new();

    public void Dispose() => current = previous;

    private static void Add(long flops)
    {
        if (current is not null) current.Flops += flops;
    }

    public static void AddAttention(long batchHeads, long queries, long keys, long headDim) =>
        Add(4 * batchHeads * queries * keys * headDim); // QKᵀ and PV

    /// <summary>Hooks every Linear and Conv3d under <paramref name="root"/>; returns the handles to remove them.</summary>
    public static IReadOnlyList<IDisposable> Instrument(nn.Module root)
    {
        var hooks = new List<IDisposable>();
        foreach (var (_, module) in root.named_modules())
        {
            switch (module)
            {
                case Linear linear:
                    var linearHook = linear.register_forward_hook((_, _, y) =>
                    {
                        Add(2 * y.numel() * linear.in_features);
                        return y;
                    });
                    hooks.Add(new Hook(linearHook.remove));
                    break;
                case Conv3d conv:
                    long perOutput = conv.in_channels / conv.groups * conv.kernel_size.Aggregate(1L, (a, b) => a * b);
                    var convHook = conv.register_forward_hook((_, _, y) =>
                    {
                        Add(2 * y.numel() * perOutput);
                        return y;
                    });
                    hooks.Add(new Hook(convHook.remove));
                    break;
            }
        }
        return hooks;
    }

    private sealed class Hook(Action remove) : IDisposable
    {
        public void Dispose() => remove();
    }
}
