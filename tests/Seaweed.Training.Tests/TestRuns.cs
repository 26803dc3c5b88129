using Seaweed.Model;
using Seaweed.Testing;

namespace Seaweed.Training.Tests;

/// <summary>A test model small enough for CPU steps in seconds, and training configs around it.</summary>
internal static class TestRuns
{
    /// <summary>9×32×32 clips → 3×2×2 = 12 video tokens; 2 heads, so cp ∈ {1, 2}.</summary>
    public static readonly SeaweedConfig Model = new SeaweedConfig
    {
        Name = "test-train",
        Video = new VideoSize(9, 32, 32),
        Vae = new VaeConfig { Channels = [8, 16, 16, 16], NormGroups = 4 },
        Dit = new DitConfig { Hidden = 32, Layers = 2, DualStreamLayers = 1, Heads = 2, MlpMultiple = 16 },
        Text = new TextEncoderConfig { VocabSize = 128, UnknownBuckets = 8, MaxTokens = 8, Hidden = 16, Layers = 1, Heads = 2, MlpMultiple = 16 },
    }.Validate();

    public static string ExampleConfigPath => Path.Combine(Repository.Root(), "configs", "train-tiny.json");

    /// <summary>A directory holding <c>model.json</c> (<see cref="Model"/>); deleted with the returned handle.</summary>
    public static TempDirectory ModelDirectory()
    {
        var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "model.json"), Model.ToJson());
        return dir;
    }
}

internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("seaweed-training-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
