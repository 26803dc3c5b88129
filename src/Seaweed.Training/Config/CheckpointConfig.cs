namespace Seaweed.Training;

/// <summary>How often a checkpoint is committed and how many committed ones are kept.</summary>
public sealed record CheckpointConfig
{
    /// <summary>Commit a checkpoint after every N steps (and after the last step).</summary>
    public long Every { get; init; } = 100;
    public int Keep { get; init; } = 3;

    internal void Validate(string path)
    {
        Require.Positive($"{path}.every", Every);
        Require.Positive($"{path}.keep", Keep);
    }
}
