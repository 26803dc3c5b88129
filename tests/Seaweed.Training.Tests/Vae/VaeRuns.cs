using Seaweed.Training.Vae;

namespace Seaweed.Training.Tests.Vae;

/// <summary>VAE training configs around <see cref="TestRuns.Model"/>, small enough for CPU steps in a fraction of a second.</summary>
internal static class VaeRuns
{
    /// <summary>Two images stages then a mixed one with 5-frame videos; the GAN from step <paramref name="ganStart"/>.</summary>
    public static string Json(string output, long ganStart = 2, string stages = DefaultStages, string extra = "") => $$"""
        {
          "model": "model.json", "seed": 3, "batch": 2,
          "stages": {{stages}},
          "loss": { "l1": 1.0, "ssim": 0.5, "kl": 1e-6 },
          "gan": { "start": {{ganStart}}, "weight": 0.1, "lr": 2e-4, "betas": [0.5, 0.9], "channels": [8, 16], "powerIterations": 1 },
          "optimizer": { "lr": 2e-3, "betas": [0.9, 0.99], "weightDecay": 0.0, "warmupSteps": 1, "gradClip": 1.0 },
          "checkpoints": { "every": 2, "keep": 2 },
          "output": "{{output}}"{{extra}}
        }
        """;

    public const string DefaultStages = """
        [
          { "name": "images", "steps": 3, "images": { "resolutions": [32, 48] } },
          { "name": "videos", "steps": 3, "imageShare": 0.5, "images": { "resolutions": [32] }, "videos": [ { "frames": 5, "resolution": 32 } ] }
        ]
        """;

    public static VaeTrainingConfig Config(TempDirectory dir, long ganStart = 2, string stages = DefaultStages, string extra = "") =>
        VaeTrainingConfig.FromJson(Json("run", ganStart, stages, extra), dir.Path);
}
