using Seaweed.Data;
using Seaweed.Grains;
using Seaweed.Grains.Generation;
using Seaweed.Grains.Stories;
using Seaweed.Model;
using Seaweed.Model.Pipeline;

namespace Seaweed.Silo.Api;

/// <summary>
/// Checks a request body and builds the grain request, or names the fields that are wrong (with the client's own
/// names: <c>size</c> or <c>width</c>/<c>height</c>, <c>shots[1].frames</c>). What one video may ask for is the
/// generation grains' own check (<see cref="GenerationLimits"/>, against the model's grid), so the API and the
/// grains cannot disagree; it runs here so that nothing is stored before a request passes.
/// </summary>
internal sealed class RequestValidator(ApiSettings settings, GenerationLimits limits)
{
    public static string NewId() => Guid.NewGuid().ToString("N");

    /// <summary>The job id and its request (without an image key: the image is stored only once the request passes).
    /// Left out, the size is the image's or the model's, frames, steps and guidance the model's, the seed 0.</summary>
    public (string JobId, GenerationRequest Request)? Video(VideoBody body, SeaweedConfig model, VideoFrames? image, FieldErrors errors)
    {
        string? jobId = Id(body.JobId, "jobId", JobIds.MaxLength, errors);
        var fallback = image is null ? (model.Video.Width, model.Video.Height) : (image.Width, image.Height);
        var size = Size(body.Size, body.Width, body.Height, fallback, model, errors);
        if (size is not { } wh) return null;
        var shot = Settings(body.Prompt, body.Frames, wh, body.Steps, body.Guidance, body.Seed, model);
        Check(shot, model, new Fields("", wh.Names), errors);
        if (image is not null && (image.Width, image.Height) != (shot.Width, shot.Height))
            errors.Add(BodyReader.ImageField, $"is {image.Width}x{image.Height}; the video is {shot.Width}x{shot.Height}");
        if (errors.Any) return null;
        return (jobId!, new GenerationRequest(shot.Prompt, shot.Frames, shot.Width, shot.Height, shot.Steps, shot.Guidance, shot.Seed));
    }

    public (string StoryId, StoryRequest Request)? Story(StoryBody body, SeaweedConfig model, FieldErrors errors)
    {
        string? storyId = Id(body.StoryId, "storyId", StoryKeys.MaxIdLength, errors);
        try
        {
            limits.CheckPrompt(body.Description);
        }
        catch (ConfigException e)
        {
            errors.Add("description", e.Reason);
        }
        var size = Size(body.Size, body.Width, body.Height, (model.Video.Width, model.Video.Height), model, errors);
        if (body.Shots is not { Count: > 0 }) errors.Add("shots", "at least one shot is required");
        else if (body.Shots.Count > settings.MaxShots) errors.Add("shots", $"{body.Shots.Count} shots; at most {settings.MaxShots}");
        if (size is not { } wh || errors.Any) return null;

        var shots = new List<ShotRequest>();
        GenerationSettings? first = null;
        for (int i = 0; i < body.Shots!.Count; i++)
        {
            string field = $"shots[{i}]";
            if (body.Shots[i] is not { } shot)
            {
                errors.Add(field, "is null");
                continue;
            }
            var settings = Settings(shot.Prompt, shot.Frames, wh, body.Steps, body.Guidance, body.Seed, model);
            // The shared fields (size, steps, guidance) are named once, not once per shot.
            if (i == 0 || !errors.Any) Check(settings, model, new Fields($"{field}.", wh.Names), errors);
            first ??= settings;
            if (Transition(shot.Transition, i, $"{field}.transition", errors) is { } transition) shots.Add(new ShotRequest(settings.Prompt, settings.Frames, transition));
        }
        if (errors.Any) return null;
        return (storyId!, new StoryRequest(body.Description!, shots, first!.Width, first.Height, first.Steps, first.Guidance, first.Seed));
    }

    private static ShotTransition? Transition(string? value, int index, string field, FieldErrors errors)
    {
        ShotTransition? transition = value?.Trim().ToLowerInvariant() switch
        {
            null or "cut" => ShotTransition.Cut,
            "continue" => ShotTransition.Continue,
            _ => null,
        };
        if (transition is null) errors.Add(field, $"'{value}' is not 'cut' or 'continue'");
        else if (index == 0 && transition == ShotTransition.Continue) errors.Add(field, "the first shot has no shot before it to continue");
        return index == 0 && transition == ShotTransition.Continue ? null : transition;
    }

    private static GenerationSettings Settings(string? prompt, int? frames, SizeInput size, int? steps, double? guidance, long? seed, SeaweedConfig model) =>
        new(prompt ?? "", frames ?? model.Video.Frames, size.Height, size.Width, steps ?? model.Flow.SamplingSteps, guidance ?? model.Flow.Guidance, seed ?? 0);

    /// <summary>The request's field names: a shot's own fields under its prefix, the size as the client gave it.</summary>
    private sealed record Fields(string ShotPrefix, (string Width, string Height) Size)
    {
        public string Of(string field) => field switch
        {
            "prompt" or "frames" => ShotPrefix + field,
            "width" => Size.Width,
            "height" => Size.Height,
            _ => field,
        };
    }

    private void Check(GenerationSettings shot, SeaweedConfig model, Fields fields, FieldErrors errors)
    {
        try
        {
            limits.Check(shot, model);
        }
        catch (ConfigException e)
        {
            errors.Add(fields.Of(e.Field), $"{e.Reason} (model '{model.Name}')");
        }
    }

    /// <summary>The grains' own id rule (<see cref="JobIds"/>), so every id a grain issues is one the API answers.</summary>
    private static string? Id(string? id, string field, int maxLength, FieldErrors errors)
    {
        if (id is null) return NewId();
        if (JobIds.IsValid(id, maxLength)) return id;
        errors.Add(field, JobIds.Rule(maxLength));
        return null;
    }

    /// <summary>The size and the fields it came from.</summary>
    private readonly record struct SizeInput(int Width, int Height, (string Width, string Height) Names);

    /// <summary>The size from "WxH" or from width and height (one form, not both); its range and grid are checked with
    /// the rest of the settings.</summary>
    private static SizeInput? Size(string? size, int? width, int? height, (int Width, int Height) fallback, SeaweedConfig model, FieldErrors errors)
    {
        if (size is not null)
        {
            if (width is not null || height is not null) errors.Add("size", "give size or width and height, not both");
            else if (PairText.TryParse(size, out int w, out int h)) return new SizeInput(w, h, ("size", "size"));
            else errors.Add("size", $"'{size}' is not WIDTHxHEIGHT (e.g. {model.Video.Width}x{model.Video.Height})");
            return null;
        }
        if ((width is null) != (height is null))
        {
            errors.Add(width is null ? "width" : "height", $"is required with {(width is null ? "height" : "width")}");
            return null;
        }
        return new SizeInput(width ?? fallback.Width, height ?? fallback.Height, ("width", "height"));
    }
}
