using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Seaweed.Data.Stories;
using Seaweed.Grains.Stories;
using Seaweed.Model;

namespace Seaweed.Cli;

/// <summary>
/// The command line of <c>seaweed story</c>, checked before any silo starts: the story file (strict, its errors name
/// the field, e.g. <c>shots[2].frames</c>), the model it runs on (its config fills the settings the file leaves out and
/// checks the rest), and the output. The story id is the file's name and a hash of the request, so running the same
/// story again takes it up where it stopped, and an edited one is a new story.
/// </summary>
internal sealed record StoryInputs(string StoryId, StoryRequest Request, SeaweedConfig Config, string ModelDirectory, string Output)
{
    public static StoryInputs From(string file, string model, string output, string? id)
    {
        string directory = Path.GetFullPath(model);
        string configFile = Path.Combine(directory, SeaweedModel.ConfigFile);
        if (!File.Exists(configFile)) throw new ConfigException("--model", $"no model at {directory} (no {SeaweedModel.ConfigFile}); pass --model DIR with a trained model");
        var config = SeaweedConfig.FromJson(File.ReadAllText(configFile));
        if (Path.GetExtension(output).ToLowerInvariant() is not (".mp4" or ".gif")) throw new ConfigException("-o", $"'{output}' must end in .mp4 or .gif");

        var script = StoryFile.Load(file);
        int width = script.Width ?? config.Video.Width, height = script.Height ?? config.Video.Height;
        script.ValidateFor(config, width, height);
        var request = new StoryRequest(script.Description,
            script.Shots.Select(s => new ShotRequest(s.Prompt, s.Frames, s.Continues ? ShotTransition.Continue : ShotTransition.Cut)).ToArray(),
            width, height, script.Steps ?? config.Flow.SamplingSteps, script.Guidance ?? config.Flow.Guidance, script.Seed);
        string storyId = id ?? DefaultId(file, request, directory);
        try
        {
            StoryKeys.ValidateId(storyId);
        }
        catch (ArgumentException e)
        {
            throw new ConfigException("--id", e.Message);
        }
        return new StoryInputs(storyId, request, config, directory, Path.GetFullPath(output));
    }

    private static string DefaultId(string file, StoryRequest request, string model)
    {
        string name = new(Path.GetFileNameWithoutExtension(file).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-').Take(60).ToArray());
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { request, model })));
        return $"{(name.Length == 0 ? "story" : name)}-{Convert.ToHexStringLower(hash)[..12]}";
    }
}
