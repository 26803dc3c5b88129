using Seaweed.Model;

namespace Seaweed.Tests.Shared;

/// <summary>
/// A randomly initialised (and perturbed) model small enough for generation tests (9 frames of 32×32 → 3×2×2 latent tokens), saved
/// to a directory the way a trained one is, with a tokenizer over the world's caption words.
/// </summary>
internal static class TinyModel
{
    public static readonly SeaweedConfig Config = new SeaweedConfig
    {
        Name = "test-generate",
        Video = new VideoSize(9, 32, 32),
        Vae = new VaeConfig { Channels = [8, 16, 16, 16], NormGroups = 4 },
        Dit = new DitConfig { Hidden = 48, Layers = 2, DualStreamLayers = 1, Heads = 2, MlpMultiple = 16 },
        Text = new TextEncoderConfig { VocabSize = 96, UnknownBuckets = 8, MaxTokens = 16, Hidden = 32, Layers = 1, Heads = 2, MlpMultiple = 16 },
        Flow = new FlowConfig { SamplingSteps = 2, Guidance = 3 },
    }.Validate();

    private static readonly string[] Corpus =
    [
        "A small red circle moves to the left on a grey background as the camera pans right.",
        "A large blue square rises on a sandy background; a medium green triangle falls.",
        "yellow diamond grows larger and purple cross shrinks, camera pans up",
        "orange circle stays still on a striped backdrop while a cyan square slides down",
        "pink triangle moves diagonally down to the right over a checkered or cloudy dark slate background",
    ];

    /// <summary>Saves a model initialised from <paramref name="seed"/> into <paramref name="directory"/>.</summary>
    public static string Save(string directory, int seed = 7)
    {
        // Zero-initialised gates and output projections would make the velocity 0 whatever the prompt or the
        // given frames: perturb every weight so that conditioning shows in the video.
        using var model = SeededInit.Create(seed, () =>
        {
            var m = new SeaweedModel(Config, Tokenizer.Build(Corpus, Config.Text));
            using (TorchSharp.torch.no_grad())
                foreach (var p in m.parameters()) p.add_(TorchSharp.torch.randn_like(p) * 0.05);
            return m;
        });
        model.Save(directory);
        return directory;
    }

    /// <summary>A fresh directory under the temp directory holding a saved model.</summary>
    public static string SaveTemp(int seed = 7) => Save(Path.Combine(Directory.CreateTempSubdirectory("seaweed-model-").FullName, "model"), seed);
}
