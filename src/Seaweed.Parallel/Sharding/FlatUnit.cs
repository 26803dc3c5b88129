using Seaweed.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Seaweed.Parallel.Sharding;

/// <summary>One parameter's place in its unit's flat vector.</summary>
public sealed record FlatEntry(string Name, Parameter Parameter, long[] Shape, long Offset, long Numel);

/// <summary>
/// One FSDP unit: parameters that are gathered, used and reduced together, laid end to end in one flat float32
/// vector (FSDP1's flat parameter). <see cref="Bind"/> points the module's parameters into a full flat vector;
/// <see cref="Release"/> drops them, so between steps the module holds no parameter memory.
/// </summary>
public sealed class FlatUnit
{
    public FlatUnit(string name, IReadOnlyList<(string Name, Parameter Parameter)> parameters)
    {
        if (parameters.Count == 0) throw new ArgumentException($"unit '{name}' has no parameters", nameof(parameters));
        var entries = new List<FlatEntry>();
        long offset = 0;
        foreach (var (parameterName, p) in parameters)
        {
            if (p.dtype != float32) throw new ArgumentException($"{parameterName} is {p.dtype}; flat units hold float32", nameof(parameters));
            entries.Add(new FlatEntry(parameterName, p, p.shape, offset, p.numel()));
            offset += p.numel();
        }
        Name = name;
        Entries = entries;
        Numel = offset;
    }

    public string Name { get; }
    public IReadOnlyList<FlatEntry> Entries { get; }
    public long Numel { get; }

    /// <summary>The parameters' current values, concatenated (1-D, a copy).</summary>
    public Tensor FlattenParameters()
    {
        using var noGrad = no_grad();
        return torch.cat(Entries.Select(e => e.Parameter.detach().reshape(-1)).ToList());
    }

    /// <summary>The accumulated gradients, concatenated; a parameter that got none contributes zeros.</summary>
    public Tensor FlattenGradients()
    {
        using var noGrad = no_grad();
        return torch.cat(Entries.Select(e => e.Parameter.grad is { } g ? g.reshape(-1) : zeros(e.Numel, dtype: float32, device: e.Parameter.device)).ToList());
    }

    /// <summary>Makes every parameter a view into <paramref name="full"/> (1-D, <see cref="Numel"/> elements), which they then keep alive.</summary>
    public void Bind(Tensor full)
    {
        if (full.dim() != 1 || full.numel() != Numel)
            throw new ArgumentException($"unit '{Name}' needs a 1-D tensor of {Numel} elements, got [{string.Join(",", full.shape)}]", nameof(full));
        using var noGrad = no_grad();
        foreach (var e in Entries) e.Parameter.set_(full.narrow(0, e.Offset, e.Numel).view(e.Shape));
    }

    /// <summary>Frees the full parameters and their gradients; the parameters become empty until the next <see cref="Bind"/>.</summary>
    public void Release()
    {
        using var noGrad = no_grad();
        foreach (var e in Entries)
        {
            e.Parameter.grad = null;
            using var empty = torch.empty(0, dtype: float32, device: e.Parameter.device); // set_ keeps a parameter on its device
            e.Parameter.set_(empty);
        }
    }

    /// <summary>
    /// Splits <paramref name="root"/>'s parameters into units: one per module in <paramref name="units"/> (its
    /// parameters, in <paramref name="root"/>'s order), then one named <paramref name="restName"/> for all others.
    /// </summary>
    public static IReadOnlyList<FlatUnit> Partition(nn.Module root, IReadOnlyList<(string Name, nn.Module Module)> units, string restName = "rest")
    {
        var all = root.named_parameters().ToList();
        var known = all.Select(p => p.parameter.Handle).ToHashSet();
        var owner = new Dictionary<IntPtr, int>();
        for (int u = 0; u < units.Count; u++)
            foreach (var p in units[u].Module.parameters())
            {
                if (!known.Contains(p.Handle))
                    throw new ArgumentException($"unit '{units[u].Name}' holds parameters that are not the root module's", nameof(units));
                if (!owner.TryAdd(p.Handle, u))
                    throw new ArgumentException($"units '{units[owner[p.Handle]].Name}' and '{units[u].Name}' share a parameter", nameof(units));
            }

        var result = new List<FlatUnit>();
        for (int u = 0; u < units.Count; u++)
            result.Add(new FlatUnit(units[u].Name, all.Where(p => owner.GetValueOrDefault(p.parameter.Handle, -1) == u).ToList()));
        var rest = all.Where(p => !owner.ContainsKey(p.parameter.Handle)).ToList();
        if (rest.Count > 0) result.Add(new FlatUnit(restName, rest));
        return result;
    }

    /// <summary>The DiT's units: one per block (<c>blocks.{i}</c>), then the embeddings and final layer.</summary>
    public static IReadOnlyList<FlatUnit> PerBlock(HybridStreamDiT dit) =>
        Partition(dit, dit.Blocks.Select((b, i) => ($"blocks.{i}", (nn.Module)b)).ToList());
}
