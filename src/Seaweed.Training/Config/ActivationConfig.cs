using Seaweed.Model;

namespace Seaweed.Training;

/// <summary>
/// Multi-level activation checkpointing per block kind: where a block's saved inputs live between forward and
/// backward — <c>keep</c> (no checkpointing), <c>recompute</c> (device), <c>host</c> or <c>disk</c>.
/// </summary>
public sealed record ActivationConfig
{
    public static readonly string[] Levels = ["keep", "recompute", "host", "disk"];

    /// <summary>Dual-stream blocks (separate text and video weights).</summary>
    public string DualStream { get; init; } = "keep";
    /// <summary>Shared-weight blocks.</summary>
    public string Shared { get; init; } = "keep";

    internal void Validate(string path)
    {
        Check($"{path}.dualStream", DualStream);
        Check($"{path}.shared", Shared);
    }

    private static void Check(string field, string level)
    {
        if (!Levels.Contains(level)) throw new ConfigException(field, $"'{level}' is not one of: {string.Join(", ", Levels)}");
    }
}
