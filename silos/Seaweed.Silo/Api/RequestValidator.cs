using System.Globalization;
using System.Text.RegularExpressions;
using Seaweed.Data;
using Seaweed.Grains.Generation;
using Seaweed.Grains.Stories;
using Seaweed.Model;

namespace Seaweed.Silo.Api;

/// <summary>
/// Checks a request body against the API's limits and the model's grid (frames 1 + k·temporal factor, sides
/// multiples of the VAE and patch factors) and builds the grain request, or names every field that is wrong.
/// Nothing is stored before a request passes.
/// </summary>
internal sealed partial class RequestValidator(ApiSettings limits)
{
    public const int MaxIdLength = 64;

    /// <summary>Job and story ids: they become artefact key segments, so letters, digits, '-' and '_' only.</summary>
    public static bool IsId(string id) => IdPattern().IsMatch(id);

    public static string NewId() => Guid.NewGuid().ToString("N");

    /// <summary>The job id and its request (without an image key: the image is stored only once the request passes).</summary>
    public (string JobId, GenerationRequest Request)? Video(VideoBody body, SeaweedConfig model, VideoFrames? image, FieldErrors errors)
    {
        string? jobId = Id(body.JobId, "jobId", errors);
        Prompt(body.Prompt, "prompt", errors);
        var fallback = image is null ? (model.Video.Width, model.Video.Height) : (image.Width, image.Height);
        var size = Size(body.Size, body.Width, body.Height, fallback, model, errors);
        int frames = Frames(body.Frames, "frames", model, errors);
        if (image is not null && size is (var w, var h) && (image.Width, image.Height) != (w, h))
            errors.Add("image", $"is {image.Width}x{image.Height}; the video is {w}x{h}");
        var (steps, guidance) = Sampling(body.Steps, body.Guidance, model, errors);
        if (errors.Any) return null;
        var (width, height) = size!.Value;
        return (jobId!, new GenerationRequest(body.Prompt!, frames, width, height, steps, guidance, body.Seed ?? 0));
    }

    public (string StoryId, StoryRequest Request)? Story(StoryBody body, SeaweedConfig model, FieldErrors errors)
    {
        string? storyId = Id(body.StoryId, "storyId", errors);
        Prompt(body.Description, "description", errors);
        var size = Size(body.Size, body.Width, body.Height, (model.Video.Width, model.Video.Height), model, errors);
        var (steps, guidance) = Sampling(body.Steps, body.Guidance, model, errors);
        var shots = new List<ShotRequest>();
        if (body.Shots is not { Count: > 0 }) errors.Add("shots", "at least one shot is required");
        else if (body.Shots.Count > limits.MaxShots) errors.Add("shots", $"{body.Shots.Count} shots; at most {limits.MaxShots}");
        else
        {
            for (int i = 0; i < body.Shots.Count; i++)
                if (Shot(body.Shots[i], i, model, errors) is { } shot) shots.Add(shot);
        }
        if (errors.Any) return null;
        var (width, height) = size!.Value;
        return (storyId!, new StoryRequest(body.Description!, shots, width, height, steps, guidance, body.Seed ?? 0));
    }

    private ShotRequest? Shot(ShotBody? shot, int index, SeaweedConfig model, FieldErrors errors)
    {
        string field = $"shots[{index}]";
        if (shot is null)
        {
            errors.Add(field, "is null");
            return null;
        }
        Prompt(shot.Prompt, $"{field}.prompt", errors);
        int frames = Frames(shot.Frames, $"{field}.frames", model, errors);
        ShotTransition? transition = shot.Transition?.Trim().ToLowerInvariant() switch
        {
            null or "cut" => ShotTransition.Cut,
            "continue" => ShotTransition.Continue,
            _ => null,
        };
        if (transition is null) errors.Add($"{field}.transition", $"'{shot.Transition}' is not 'cut' or 'continue'");
        else if (index == 0 && transition == ShotTransition.Continue) errors.Add($"{field}.transition", "the first shot has no shot before it to continue");
        return transition is { } t ? new ShotRequest(shot.Prompt ?? "", frames, t) : null;
    }

    private static string? Id(string? id, string field, FieldErrors errors)
    {
        if (id is null) return NewId();
        if (IsId(id)) return id;
        errors.Add(field, $"must be 1-{MaxIdLength} ASCII letters, digits, '-' or '_', starting with a letter or digit");
        return null;
    }

    private void Prompt(string? prompt, string field, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(prompt)) errors.Add(field, "is required and must not be blank");
        else if (prompt.Length > limits.MaxPromptLength) errors.Add(field, $"{prompt.Length} characters; at most {limits.MaxPromptLength}");
    }

    private int Frames(int? value, string field, SeaweedConfig model, FieldErrors errors)
    {
        int frames = value ?? model.Video.Frames;
        if (frames <= 0) errors.Add(field, $"{frames} must be positive");
        else if (frames > limits.MaxFrames) errors.Add(field, $"{frames} frames; at most {limits.MaxFrames}");
        else if (GridError(model, new VideoSize(frames, model.Video.Height, model.Video.Width)) is (_, var reason)) errors.Add(field, reason);
        return frames;
    }

    /// <summary>The size from "WxH" or width and height (not both forms); errors go to the field the client used.</summary>
    private (int Width, int Height)? Size(string? size, int? width, int? height, (int Width, int Height) fallback, SeaweedConfig model, FieldErrors errors)
    {
        int before = errors.Count;
        (int W, int H) wh = fallback;
        string widthField = "width", heightField = "height";
        if (size is not null)
        {
            widthField = heightField = "size";
            if (width is not null || height is not null) errors.Add("size", "give size or width and height, not both");
            else if (SizePattern().Match(size) is { Success: true } m
                     && int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int w)
                     && int.TryParse(m.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int h))
                wh = (w, h);
            else errors.Add("size", $"'{size}' is not WIDTHxHEIGHT (e.g. {model.Video.Width}x{model.Video.Height})");
        }
        else if (width is not null || height is not null)
        {
            if (width is null) errors.Add("width", "is required with height");
            if (height is null) errors.Add("height", "is required with width");
            wh = (width ?? fallback.Width, height ?? fallback.Height);
        }
        if (errors.Count > before) return null;

        Side(wh.W, widthField, "width", errors);
        Side(wh.H, heightField, "height", errors);
        if (errors.Count > before) return null;
        if (GridError(model, new VideoSize(model.Video.Frames, wh.H, wh.W)) is (var axis, var reason))
        {
            errors.Add(axis == "height" ? heightField : widthField, reason);
            return null;
        }
        return wh;
    }

    private void Side(int value, string field, string axis, FieldErrors errors)
    {
        if (value <= 0) errors.Add(field, $"{axis} {value} must be positive");
        else if (value > limits.MaxSide) errors.Add(field, $"{axis} {value}; at most {limits.MaxSide}");
    }

    private (int Steps, double Guidance) Sampling(int? stepsValue, double? guidanceValue, SeaweedConfig model, FieldErrors errors)
    {
        int steps = stepsValue ?? model.Flow.SamplingSteps;
        if (steps <= 0) errors.Add("steps", $"{steps} must be positive");
        else if (steps > limits.MaxSteps) errors.Add("steps", $"{steps} steps; at most {limits.MaxSteps}");
        double guidance = guidanceValue ?? model.Flow.Guidance;
        if (!double.IsFinite(guidance)) errors.Add("guidance", $"{guidance.ToString(CultureInfo.InvariantCulture)} is not a finite number");
        else if (guidance < 0) errors.Add("guidance", $"{guidance.ToString(CultureInfo.InvariantCulture)} must not be negative");
        return (steps, guidance);
    }

    /// <summary>Why the model cannot make a video of <paramref name="size"/>, and on which axis; null if it can.</summary>
    private static (string Axis, string Reason)? GridError(SeaweedConfig model, VideoSize size)
    {
        try
        {
            model.LatentGrid(size, "size");
            return null;
        }
        catch (ConfigException e)
        {
            return (e.Field["size.".Length..], $"{e.Reason} (model '{model.Name}')");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^\s*([0-9]{1,5})\s*[xX×]\s*([0-9]{1,5})\s*$")]
    private static partial Regex SizePattern();
}
