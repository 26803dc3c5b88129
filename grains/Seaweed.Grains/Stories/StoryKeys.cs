using System.Globalization;

namespace Seaweed.Grains.Stories;

/// <summary>The names a story's pieces go by: grain keys, generation job ids and artefact keys.</summary>
public static class StoryKeys
{
    /// <summary>The segment grain of shot <paramref name="shot"/>.</summary>
    public static string Shot(string story, int shot) => JobIds.Part(story, shot);

    /// <summary>The generation job of shot <paramref name="shot"/> (a job id is one key segment): one per shot, so
    /// asking again (a retry, a story taken up again) reaches the same job instead of starting another.</summary>
    public static string Job(string story, int shot) => $"{story}.shot-{shot.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The story and shot a segment key names.</summary>
    public static (string Story, int Shot) ParseShot(string key) => JobIds.ParsePart(key, "story segment");

    /// <summary>The joined video, before its extension (.mp4, or .gif without ffmpeg).</summary>
    public static string Video(string story, string extension) => $"stories/{story}/story{extension}";

    /// <summary>Short enough that its shots' job ids (<see cref="Job"/>) are valid job ids too.</summary>
    public const int MaxIdLength = JobIds.MaxLength - 28;

    public static void ValidateId(string story) => JobIds.Validate(story, "storyId", MaxIdLength);
}
