using Seaweed.Model;

namespace Seaweed.Data.Stories;

/// <summary>One shot as a story states it: what happens, how many frames are generated for it, and whether it
/// continues the shot before it or cuts to a new view. A continuation is conditioned on the last frames of the shot
/// before it, and its first frames re-create them: the story shows it from its first new frame.</summary>
public sealed record ScriptShot(string Prompt, int Frames, bool Continues);

/// <summary>
/// A multi-shot story: the description (the cast and setting every shot shares), the shots in order, and the
/// settings every shot shares. Width, height, steps and guidance left null take the model's own.
/// </summary>
public sealed record StoryScript(string Description, IReadOnlyList<ScriptShot> Shots, int? Width, int? Height, int? Steps, double? Guidance, long Seed)
{
    public const int MaxShots = 64;
    public const int MaxPromptLength = 2000;
    public const int MaxFrames = 4096;
    public const int MaxSteps = 1000;

    /// <summary>Throws <see cref="ConfigException"/> naming the first field (<c>shots[2].frames</c>) that is out of range.</summary>
    public StoryScript Validate()
    {
        Text("description", Description);
        if (Shots is null || Shots.Count == 0) throw new ConfigException("shots", "a story needs at least one shot");
        if (Shots.Count > MaxShots) throw new ConfigException("shots", $"{Shots.Count} shots; at most {MaxShots}");
        for (int i = 0; i < Shots.Count; i++)
        {
            var shot = Shots[i] ?? throw new ConfigException($"shots[{i}]", "is null");
            Text($"shots[{i}].prompt", shot.Prompt);
            if (shot.Frames is <= 0 or > MaxFrames) throw new ConfigException($"shots[{i}].frames", $"{shot.Frames} must be from 1 to {MaxFrames}");
            if (shot.Continues && shot.Frames == 1)
                throw new ConfigException($"shots[{i}].frames", "a continuation of one frame only re-creates the last frame of the shot before it");
        }
        if (Shots[0].Continues) throw new ConfigException("shots[0].transition", "the first shot has no shot before it to continue; use \"cut\"");
        if (Width is <= 0) throw new ConfigException("size", $"width {Width} must be positive");
        if (Height is <= 0) throw new ConfigException("size", $"height {Height} must be positive");
        if (Steps is { } steps && steps is <= 0 or > MaxSteps) throw new ConfigException("steps", $"{steps} must be from 1 to {MaxSteps}");
        if (Guidance is { } g && !(double.IsFinite(g) && g >= 0)) throw new ConfigException("guidance", $"{g} must be a finite number ≥ 0");
        return this;
    }

    /// <summary>Checks the story against a model: the size against its VAE and patch grid, every shot's length
    /// against its temporal grid.</summary>
    public void ValidateFor(SeaweedConfig model, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.LatentGrid(new VideoSize(1, height, width), "size");
        for (int i = 0; i < Shots.Count; i++)
        {
            try
            {
                model.LatentGrid(new VideoSize(Shots[i].Frames, height, width), "size");
            }
            catch (ConfigException e)
            {
                throw new ConfigException($"shots[{i}].frames", e.Reason);
            }
        }
    }

    private static void Text(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) throw new ConfigException(field, "is required and must not be blank");
        if (value.Length > MaxPromptLength) throw new ConfigException(field, $"{value.Length} characters; at most {MaxPromptLength}");
    }
}
