using Seaweed.Model;

namespace Seaweed.Training;

/// <summary>Image samples of a stage: each is resized to the area r² of one of <see cref="Resolutions"/>, its aspect ratio kept.</summary>
public sealed record ImageStageConfig
{
    public int[] Resolutions { get; init; } = [];
}

/// <summary>Video samples of a stage: resized to the area r², aspect ratio kept, cut to one of <see cref="Frames"/>.</summary>
public sealed record VideoStageConfig
{
    public int Resolution { get; init; }
    public int[] Frames { get; init; } = [];
}

/// <summary>
/// One curriculum stage (Seaweed Table 2): its share of the run's steps, what it trains on and at what size.
/// <see cref="ImageShare"/> is the fixed share of every global batch that is images.
/// </summary>
public sealed record StageConfig
{
    public string Name { get; init; } = "";
    public double Fraction { get; init; }
    public ImageStageConfig? Images { get; init; }
    public VideoStageConfig? Videos { get; init; }
    public double? ImageShare { get; init; }

    /// <summary>1 for an image-only stage, 0 for a video-only stage, else the configured share.</summary>
    public double EffectiveImageShare => Videos is null ? 1 : Images is null ? 0 : ImageShare ?? 0;

    internal void Validate(string path, SeaweedConfig model)
    {
        if (string.IsNullOrWhiteSpace(Name)) throw new ConfigException($"{path}.name", "is required");
        Require.InRange($"{path}.fraction", Fraction, 0, 1);
        if (Fraction == 0) throw new ConfigException($"{path}.fraction", "must be positive");
        if (Images is null && Videos is null) throw new ConfigException(path, "trains on neither images nor videos");
        var grid = StageSizes.GridUnit(model);
        int unit = Math.Max(grid.Height, grid.Width);
        if (Images is not null)
        {
            if (!StageSizes.IsFrameCount(model, 1))
                throw new ConfigException($"{path}.images", $"the model's temporal patch dit.patch[0] = {model.Dit.Patch[0]} cannot take one-frame images");
            if (Images.Resolutions is not { Length: > 0 }) throw new ConfigException($"{path}.images.resolutions", "must list at least one resolution");
            for (int i = 0; i < Images.Resolutions.Length; i++) CheckResolution($"{path}.images.resolutions[{i}]", Images.Resolutions[i], unit);
        }
        if (Videos is not null)
        {
            CheckResolution($"{path}.videos.resolution", Videos.Resolution, unit);
            if (Videos.Frames is not { Length: > 0 }) throw new ConfigException($"{path}.videos.frames", "must list at least one frame count");
            for (int i = 0; i < Videos.Frames.Length; i++)
                if (!StageSizes.IsFrameCount(model, Videos.Frames[i]))
                    throw new ConfigException($"{path}.videos.frames[{i}]",
                        $"{Videos.Frames[i]} is not 1 + {model.Vae.TemporalDownsample}·k frames whose latent frames divide by dit.patch[0] = {model.Dit.Patch[0]}");
        }
        if (ImageShare is { } share)
        {
            if (Images is null || Videos is null)
                throw new ConfigException($"{path}.imageShare", "applies only to a stage with both images and videos");
            Require.InRange($"{path}.imageShare", share, 0, 1);
        }
        else if (Images is not null && Videos is not null)
            throw new ConfigException($"{path}.imageShare", "is required when a stage has both images and videos");
    }

    private static void CheckResolution(string field, int resolution, int unit)
    {
        if (resolution < unit) throw new ConfigException(field, $"{resolution} is below the model's grid unit of {unit} pixels");
    }
}
