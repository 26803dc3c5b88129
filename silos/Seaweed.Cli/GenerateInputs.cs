using System.CommandLine;
using Seaweed.Data;
using Seaweed.Data.Video;
using Seaweed.Grains.Generation;
using Seaweed.Model;
using Seaweed.Model.Pipeline;

namespace Seaweed.Cli;

/// <summary>
/// The command line of <c>seaweed generate</c>, checked before any silo starts: the model directory exists, the
/// size, frames, steps and guidance fit the model (defaults from its config), the image or video reads, and the output
/// is a video file. A bad value is a <see cref="ConfigException"/> naming the option.
/// </summary>
internal sealed record GenerateInputs(
    GenerationSettings Settings,
    string Prompt,
    string ModelDirectory,
    VideoFrames? Image,
    VideoFrames? Video,
    string Output,
    DecodeTiles? Tiles)
{
    public const string DefaultModel = "models/seaweed-tiny";
    public const string DefaultOutput = "video.mp4";

    // The options of a video's shape and model, shared with `seaweed bench generate`, which reads them the same way.
    public static Option<int?> FramesOption() => new("--frames") { Description = "Frames, 1 + 4k (default: the model's)" };
    public static Option<string?> SizeOption(string defaults) => new("--size") { Description = $"WIDTHxHEIGHT, multiples of the model's grid (default: {defaults})" };
    public static Option<int?> StepsOption() => new("--steps") { Description = "Euler steps (default: the model's)" };
    public static Option<string> ModelOption() => new("--model") { Description = "Model directory", DefaultValueFactory = _ => DefaultModel };

    private static readonly Dictionary<string, string> Options = new()
    {
        ["prompt"] = "PROMPT", ["frames"] = "--frames", ["width"] = "--size", ["height"] = "--size", ["steps"] = "--steps",
        ["guidance"] = "--guidance", ["image"] = "--image", ["video"] = "--video", ["tiles"] = "--tiles",
    };

    public static async Task<GenerateInputs> FromAsync(string prompt, string? image, string? video, int? frames, string? size, int? steps,
        double? guidance, long seed, string model, string output, string? tiles = null)
    {
        string directory = Path.GetFullPath(model);
        if (!File.Exists(Path.Combine(directory, SeaweedModel.ConfigFile)))
            throw new ConfigException("--model", $"no model at {directory} (no {SeaweedModel.ConfigFile}); pass --model DIR with a trained model");
        var config = SeaweedConfig.FromJson(await File.ReadAllTextAsync(Path.Combine(directory, SeaweedModel.ConfigFile)));
        if (image is not null && video is not null) throw new ConfigException("--video", "give --image or --video, not both");
        string extension = Path.GetExtension(output).ToLowerInvariant();
        if (extension is not (".mp4" or ".gif")) throw new ConfigException("-o", $"'{output}' must end in .mp4 or .gif");

        var given = image is not null ? await Read("--image", image) : video is not null ? await Read("--video", video) : null;
        if (image is not null && given!.FrameCount != 1)
            throw new ConfigException("--image", $"{image} has {given.FrameCount} frames; pass a video as --video");
        var (width, height) = size is not null ? ParsePair("--size", size, "WIDTHxHEIGHT (e.g. 64x64)") : given is not null ? (given.Width, given.Height) : (config.Video.Width, config.Video.Height);
        var grid = tiles is null ? null : ParsePair("--tiles", tiles, "ROWSxCOLUMNS (e.g. 2x2)") is var (rows, columns) ? new DecodeTiles(rows, columns) : null;
        var settings = new GenerationSettings(prompt, frames ?? config.Video.Frames, height, width, steps ?? config.Flow.SamplingSteps,
            guidance ?? config.Flow.Guidance, seed);
        try
        {
            GenerationLimits.Default.Check(settings, config);
            if (given is not null && (given.Width, given.Height) != (width, height))
                throw new ConfigException(image is not null ? "image" : "video", $"is {given.Width}x{given.Height}; --size is {width}x{height}");
            if (grid is not null) TiledGenerationDecode.Check(grid, config, width, height);
        }
        catch (ConfigException e)
        {
            throw new ConfigException(Options.GetValueOrDefault(e.Field, e.Field), e.Reason);
        }
        catch (GenerationInputException e)
        {
            throw new ConfigException(Options.GetValueOrDefault(e.Field, e.Field), e.Reason);
        }
        return new GenerateInputs(settings, prompt, directory, image is null ? null : given, video is null ? null : given, Path.GetFullPath(output), grid);
    }

    /// <summary>"AxB" as two numbers; anything else names <paramref name="option"/>.</summary>
    private static (int, int) ParsePair(string option, string value, string expected) =>
        PairText.TryParse(value, out int a, out int b) ? (a, b) : throw new ConfigException(option, $"'{value}' is not {expected}");

    private static async Task<VideoFrames> Read(string option, string path)
    {
        if (!File.Exists(path) && !Directory.Exists(path)) throw new ConfigException(option, $"no such file: {Path.GetFullPath(path)}");
        try
        {
            return await new VideoIO().ReadAsync(path);
        }
        catch (Exception e) when (e is VideoFormatException or FfmpegUnavailableException or InvalidDataException)
        {
            throw new ConfigException(option, $"{path} could not be read: {e.Message}");
        }
    }
}
