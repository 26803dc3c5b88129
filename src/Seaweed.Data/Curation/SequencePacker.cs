namespace Seaweed.Data.Curation;

/// <summary>A training sample and the number of transformer tokens it becomes.</summary>
public sealed record PackItem(string Id, int Tokens);

/// <summary>Samples sharing one sequence of the packer's capacity.</summary>
public sealed record Pack(IReadOnlyList<PackItem> Items)
{
    public int Tokens => Items.Sum(i => i.Tokens);
}

public sealed record Packing(int Capacity, IReadOnlyList<Pack> Packs)
{
    /// <summary>Share of all sequence slots left empty; 0 when there is nothing to pack.</summary>
    public double PaddingFraction => Packs.Count == 0 ? 0 : 1 - Packs.Sum(p => p.Tokens) / ((double)Capacity * Packs.Count);
}

/// <summary>
/// Packs variable-length samples into sequences of a fixed token capacity (one attention mask per sample inside a
/// sequence), so mixed resolutions and durations train without padding each one to the longest. Best-fit
/// decreasing: longest first (ties by Id), each into the fullest sequence that still has room, which is
/// deterministic and rarely far from the fewest sequences.
/// </summary>
public static class SequencePacker
{
    /// <summary>Tokens of a latent video of T×H×W cut into patches of pt×ph×pw; each side must divide evenly.</summary>
    public static int Tokens(int latentFrames, int latentHeight, int latentWidth, int patchFrames, int patchHeight, int patchWidth)
    {
        long tokens = 1;
        foreach (var (size, patch, name) in new[]
                 {
                     (latentFrames, patchFrames, nameof(latentFrames)),
                     (latentHeight, patchHeight, nameof(latentHeight)),
                     (latentWidth, patchWidth, nameof(latentWidth)),
                 })
        {
            if (patch <= 0) throw new ArgumentOutOfRangeException(name, patch, $"the patch size along {name} must be positive");
            if (size <= 0 || size % patch != 0) throw new ArgumentOutOfRangeException(name, size, $"{name} must be a positive multiple of the patch size {patch}");
            tokens *= size / patch;
        }
        return tokens <= int.MaxValue ? (int)tokens : throw new ArgumentOutOfRangeException(nameof(latentFrames), tokens, "token count does not fit an int");
    }

    public static Packing Pack(IReadOnlyList<PackItem> items, int capacity)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (capacity <= 0) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "capacity must be positive");
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (item is null) throw new ArgumentException("items contains null", nameof(items));
            if (!ids.Add(item.Id)) throw new ArgumentException($"sample '{item.Id}' appears more than once", nameof(items));
            if (item.Tokens <= 0) throw new ArgumentException($"sample '{item.Id}' has {item.Tokens} tokens; it needs at least 1", nameof(items));
            if (item.Tokens > capacity) throw new ArgumentException($"sample '{item.Id}' has {item.Tokens} tokens, more than the capacity {capacity}", nameof(items));
        }

        var packs = new List<List<PackItem>>();
        // Open sequences by (room left, index): the first entry with room ≥ tokens is the best fit.
        var open = new SortedSet<(int Room, int Index)>();
        foreach (var item in items.OrderByDescending(i => i.Tokens).ThenBy(i => i.Id, StringComparer.Ordinal))
        {
            var fits = open.GetViewBetween((item.Tokens, int.MinValue), (capacity, int.MaxValue));
            (int room, int index) = fits.Count > 0 ? fits.Min : (capacity, packs.Count);
            if (index == packs.Count) packs.Add([]);
            else open.Remove((room, index));
            packs[index].Add(item);
            if (room - item.Tokens > 0) open.Add((room - item.Tokens, index));
        }
        return new Packing(capacity, packs.Select(p => new Pack(p)).ToArray());
    }
}
