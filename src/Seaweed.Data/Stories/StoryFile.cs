using System.Text.Json;
using System.Text.Json.Serialization;
using Seaweed.Model;

namespace Seaweed.Data.Stories;

/// <summary>
/// The story file: <c>{ "description", "shots": [{ "prompt", "frames", "transition": "cut"|"continue" }], "size":
/// "WxH", "steps", "guidance", "seed" }</c>. Strict: an unknown key, a value of the wrong type or out of range is a
/// <see cref="ConfigException"/> naming its path (<c>shots[2].frames</c>). Only description and shots are required;
/// a shot's transition defaults to cut, the seed to 0, the rest to the model's own.
/// </summary>
public static class StoryFile
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
        Converters = { new JsonStringEnumConverter<Transition>(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    public static StoryScript Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new ConfigException("story", $"no story file at {Path.GetFullPath(path)}");
        return Parse(File.ReadAllText(path));
    }

    public static StoryScript Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var file = ConfigJson.Read<FileModel>(json, Json);
        var shots = file.Shots?.Select((s, i) => s is null
            ? throw new ConfigException($"shots[{i}]", "is null")
            : new ScriptShot(s.Prompt!, s.Frames ?? throw new ConfigException($"shots[{i}].frames", "is required"), s.Transition == Transition.Continue)).ToArray();
        var (width, height) = file.Size is null ? ((int?)null, (int?)null) : ParseSize(file.Size, "size");
        return new StoryScript(file.Description!, shots!, width, height, file.Steps, file.Guidance, file.Seed ?? 0).Validate();
    }

    /// <summary>"WxH" (also "W×H"), e.g. "64x48": width 64, height 48.</summary>
    public static (int Width, int Height) ParseSize(string text, string field)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (PairText.TryParse(text, out int w, out int h) && w > 0 && h > 0) return (w, h);
        throw new ConfigException(field, $"'{text}' is not WIDTHxHEIGHT with positive whole numbers, e.g. 64x64");
    }

    private enum Transition { Cut, Continue }

    private sealed class FileModel
    {
        public string? Description { get; init; }
        public ShotModel?[]? Shots { get; init; }
        public string? Size { get; init; }
        public int? Steps { get; init; }
        public double? Guidance { get; init; }
        public long? Seed { get; init; }
    }

    private sealed class ShotModel
    {
        public string? Prompt { get; init; }
        public int? Frames { get; init; }
        public Transition Transition { get; init; }
    }
}
