using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Seaweed.Model;

namespace Seaweed.Training.Vae;

/// <summary>
/// One VAE training run, as stored in a JSON file; unknown keys are errors naming their path. The model is a preset
/// (<c>tiny</c>: the 48× VAE; <c>tiny-64x</c>: the 64× one), a model config file or a saved model directory; only its
/// VAE trains, and the run writes a whole model directory (<c>{output}/model</c>) that <c>seaweed train</c> can
/// name as its model.
/// </summary>
public sealed record VaeTrainingConfig
{
    public string Model { get; init; } = Presets.Tiny.Name;
    /// <summary>Seeds the initial weights, the world's clips and every per-step draw.</summary>
    public long Seed { get; init; }
    /// <summary>Clips per step, unless a stage sets its own; one step's clips share a shape.</summary>
    public int Batch { get; init; } = 4;
    public IReadOnlyList<VaeStageConfig> Stages { get; init; } = [];
    public VaeLossConfig Loss { get; init; } = new();
    public GanConfig Gan { get; init; } = new();
    public OptimizerConfig Optimizer { get; init; } = new();
    public CheckpointConfig Checkpoints { get; init; } = new();
    /// <summary>The run directory (checkpoints and the model), relative to the config file.</summary>
    public string Output { get; init; } = "";

    private ModelSource? Resolved { get; init; }
    private string? OutputPath { get; init; }

    [JsonIgnore]
    public ModelSource ModelSource => Resolved ?? throw new InvalidOperationException("the VAE training config has not been validated; call Validate first");

    /// <summary>The output directory, absolute; available once validated.</summary>
    [JsonIgnore]
    public string OutputDirectory => OutputPath ?? throw new InvalidOperationException("the VAE training config has not been validated; call Validate first");

    [JsonIgnore]
    public long Steps => Stages.Sum(s => s.Steps);

    public VaeTrainingConfig Validate(string? baseDirectory = null)
    {
        string root = baseDirectory ?? Directory.GetCurrentDirectory();
        var source = ModelSource.Resolve(Require.Present("model", Model), root);
        var vae = source.Config.Vae;
        Require.Positive("batch", Batch);
        if (Require.Present("stages", Stages).Count == 0) throw new ConfigException("stages", "must list at least one stage");
        for (int i = 0; i < Stages.Count; i++) Require.Present($"stages[{i}]", Stages[i]).Validate($"stages[{i}]", vae);
        Require.Present("loss", Loss).Validate("loss");
        Require.Present("gan", Gan).Validate("gan");
        Require.Present("optimizer", Optimizer).Validate("optimizer", Steps);
        Require.Present("checkpoints", Checkpoints).Validate("checkpoints");
        if (string.IsNullOrWhiteSpace(Output)) throw new ConfigException("output", "is required: the directory for checkpoints and the trained model");
        return this with { Resolved = source, OutputPath = Path.GetFullPath(Output, root) };
    }

    public string ToJson() => JsonSerializer.Serialize(this, TrainingConfig.Json);

    /// <summary>SHA-256 of the config and the model it resolved to: a checkpoint resumes only the run that wrote it.</summary>
    [JsonIgnore]
    public byte[] Hash => SHA256.HashData(Encoding.UTF8.GetBytes(ToJson() + ModelSource.Config.ToJson()));

    public static VaeTrainingConfig FromJson(string json, string? baseDirectory = null) =>
        ConfigJson.Read<VaeTrainingConfig>(json, TrainingConfig.Json).Validate(baseDirectory);

    public static VaeTrainingConfig Load(string path)
    {
        if (!File.Exists(path)) throw new ConfigException("config", $"no VAE training config at {Path.GetFullPath(path)}");
        return FromJson(File.ReadAllText(path), Path.GetDirectoryName(Path.GetFullPath(path)));
    }
}
