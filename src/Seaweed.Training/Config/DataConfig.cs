using Seaweed.Data.Dataset;
using Seaweed.Model;

namespace Seaweed.Training;

/// <summary>Where samples come from: the synthetic world, generated on the fly, or a curated dataset in the artefact store.</summary>
public sealed record DataConfig
{
    public const string World = "world";
    public const string Dataset = "dataset";

    public string Source { get; init; } = World;
    /// <summary>The dataset's name in the artefact store, when <see cref="Source"/> is <c>dataset</c>.</summary>
    public string? Name { get; init; }
    /// <summary>Seeds the world's clips, or the dataset's order per epoch.</summary>
    public long Seed { get; init; }
    /// <summary>Share of samples captioned with the short (action) caption instead of the detailed one.</summary>
    public double ShortCaptionShare { get; init; } = 0.5;

    internal void Validate(string path)
    {
        switch (Source)
        {
            case World:
                if (Name is not null) throw new ConfigException($"{path}.name", "names a dataset, but the source is the world");
                break;
            case Dataset:
                if (string.IsNullOrWhiteSpace(Name)) throw new ConfigException($"{path}.name", "is required when the source is a dataset");
                try
                {
                    DatasetWriter.ValidateName(Name);
                }
                catch (ArgumentException e)
                {
                    throw new ConfigException($"{path}.name", e.Message);
                }
                break;
            default:
                throw new ConfigException($"{path}.source", $"'{Source}' is not one of: {World}, {Dataset}");
        }
        Require.InRange($"{path}.shortCaptionShare", ShortCaptionShare, 0, 1);
    }
}
