using System.Text.Json.Serialization;
using Seaweed.Model;

namespace Seaweed.Parallel.Checkpointing;

/// <summary>Where a checkpointed block's saved inputs live between its forward and its backward.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ActivationLevel>))]
public enum ActivationLevel
{
    /// <summary>No checkpointing: plain autograd keeps every intermediate of the block on the device.</summary>
    Keep,
    /// <summary>Forward without a graph; the block inputs stay on the device; the block is recomputed in backward.</summary>
    Recompute,
    /// <summary>As <see cref="Recompute"/>, with the inputs copied to host memory (pinned on CUDA) in the background.</summary>
    Host,
    /// <summary>As <see cref="Recompute"/>, with the inputs written to a spill file in the background.</summary>
    Disk,
}

/// <summary>MLAC policy: an <see cref="ActivationLevel"/> per MM-DiT block kind.</summary>
public sealed record CheckpointPolicy
{
    public ActivationLevel DualStream { get; init; } = ActivationLevel.Keep;
    public ActivationLevel Shared { get; init; } = ActivationLevel.Keep;

    public static CheckpointPolicy All(ActivationLevel level) => new() { DualStream = level, Shared = level };

    public ActivationLevel For(MMDiTBlock block) => block.IsShared ? Shared : DualStream;

    public bool Uses(ActivationLevel level) => DualStream == level || Shared == level;

    /// <summary>Throws <see cref="ArgumentException"/> naming the field whose level is not defined (e.g. a number from JSON).</summary>
    public CheckpointPolicy Validate()
    {
        Check(DualStream, "dualStream");
        Check(Shared, "shared");
        return this;
    }

    internal static void Check(ActivationLevel level, string field)
    {
        if (!Enum.IsDefined(level))
            throw new ArgumentException($"{field}: {(int)level} is not an activation level ({string.Join(", ", Enum.GetNames<ActivationLevel>())})", field);
    }
}
