using Seaweed.Model;

namespace Seaweed.Training.Vae;

/// <summary>One video shape of a VAE stage: clips of <see cref="Frames"/> frames at about <see cref="Resolution"/>² pixels.</summary>
public sealed record VaeVideoShape
{
    public int Frames { get; init; }
    public int Resolution { get; init; }
}

/// <summary>
/// One stage of VAE training (Seaweed Table 1: images first at several resolutions, then videos of several
/// frames × resolution shapes). Each step draws one of the stage's shapes and an aspect ratio of the world; a
/// stage with both images and videos draws images with probability <see cref="ImageShare"/>.
/// </summary>
public sealed record VaeStageConfig
{
    public string Name { get; init; } = "";
    public long Steps { get; init; }
    public ImageStageConfig? Images { get; init; }
    public IReadOnlyList<VaeVideoShape>? Videos { get; init; }
    public double? ImageShare { get; init; }
    /// <summary>Clips per step of this stage; the run's <c>batch</c> when absent (long videos want fewer).</summary>
    public int? Batch { get; init; }

    /// <summary>1 for an image-only stage, 0 for a video-only stage, else the configured share.</summary>
    public double EffectiveImageShare => Videos is null ? 1 : Images is null ? 0 : ImageShare ?? 0;

    internal void Validate(string path, VaeConfig vae)
    {
        if (string.IsNullOrWhiteSpace(Name)) throw new ConfigException($"{path}.name", "is required");
        Require.Positive($"{path}.steps", Steps);
        if (Batch is { } batch) Require.Positive($"{path}.batch", batch);
        if (Images is null && Videos is null) throw new ConfigException(path, "trains on neither images nor videos");
        if (Images is not null)
        {
            if (Images.Resolutions is not { Length: > 0 }) throw new ConfigException($"{path}.images.resolutions", "must list at least one resolution");
            for (int i = 0; i < Images.Resolutions.Length; i++) CheckResolution($"{path}.images.resolutions[{i}]", Images.Resolutions[i]);
        }
        if (Videos is not null)
        {
            if (Videos.Count == 0) throw new ConfigException($"{path}.videos", "must list at least one shape");
            for (int i = 0; i < Videos.Count; i++)
            {
                var shape = Require.Present($"{path}.videos[{i}]", Videos[i]);
                CheckResolution($"{path}.videos[{i}].resolution", shape.Resolution);
                if (shape.Frames < 2 || (shape.Frames - 1) % vae.TemporalDownsample != 0)
                    throw new ConfigException($"{path}.videos[{i}].frames", $"{shape.Frames} is not 1 + {vae.TemporalDownsample}·k frames with k ≥ 1");
            }
        }
        if (ImageShare is { } share)
        {
            if (Images is null || Videos is null) throw new ConfigException($"{path}.imageShare", "applies only to a stage with both images and videos");
            Require.InRange($"{path}.imageShare", share, 0, 1);
        }
        else if (Images is not null && Videos is not null)
            throw new ConfigException($"{path}.imageShare", "is required when a stage has both images and videos");
    }

    private static void CheckResolution(string field, int resolution)
    {
        if (resolution < VaeBatches.MinSide) throw new ConfigException(field, $"{resolution} is below the world's smallest frame side of {VaeBatches.MinSide} pixels");
    }
}
