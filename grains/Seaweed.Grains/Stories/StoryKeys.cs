using System.Globalization;
using Seaweed.Grains.Generation;

namespace Seaweed.Grains.Stories;

/// <summary>The names a story's pieces go by: grain keys, generation job ids and artefact keys.</summary>
public static class StoryKeys
{
    /// <summary>The segment grain of shot <paramref name="shot"/>.</summary>
    public static string Shot(string story, int shot) => $"{story}/{shot.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The generation job of shot <paramref name="shot"/> (a job id is one key segment): one per shot, so
    /// asking again (a retry, a story taken up again) reaches the same job instead of starting another.</summary>
    public static string Job(string story, int shot) => $"{story}.shot-{shot.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The story and shot a segment key names.</summary>
    public static (string Story, int Shot) ParseShot(string key)
    {
        int slash = key.LastIndexOf('/');
        if (slash <= 0 || !int.TryParse(key.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int shot))
            throw new ArgumentException($"'{key}' is not a story segment key \"{{story}}/{{shot}}\"", nameof(key));
        return (key[..slash], shot);
    }

    /// <summary>The joined video, before its extension (.mp4, or .gif without ffmpeg).</summary>
    public static string Video(string story, string extension) => $"stories/{story}/story{extension}";

    public const int MaxIdLength = 100;

    /// <summary>A story id is one artefact key segment, of the characters and short enough that its shots' job ids are too.</summary>
    public static void ValidateId(string story)
    {
        if (story.Length is 0 or > MaxIdLength || story is "." or ".." || !story.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            throw new GenerationInputException("storyId", $"'{story}' must be 1 to {MaxIdLength} letters, digits or -_.");
    }
}
