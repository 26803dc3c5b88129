using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Seaweed.Model;
using Seaweed.Parallel.Checkpointing;

namespace Seaweed.Training;

/// <summary>
/// One training run, as stored in a JSON file. Unknown keys are errors naming their path; every field is checked
/// by <see cref="Validate"/>, which also resolves <see cref="Model"/> and fills in the default curriculum.
/// </summary>
public sealed record TrainingConfig
{
    /// <summary>A preset name (<see cref="Presets"/>), or a path to a model <c>config.json</c> or a saved model directory, relative to the config file.</summary>
    public string Model { get; init; } = Presets.Tiny.Name;
    public ParallelConfig Parallel { get; init; } = new();
    public long Steps { get; init; } = 1000;
    /// <summary>Samples per optimizer step, over all data ranks.</summary>
    public int GlobalBatch { get; init; } = 8;
    /// <summary>Seeds the initial weights and every per-sample draw (noise, time, task, text dropout).</summary>
    public long Seed { get; init; }
    /// <summary>Stages in order; null takes <see cref="Training.Curriculum.Default"/> for the model.</summary>
    public IReadOnlyList<StageConfig>? Curriculum { get; init; }
    public TaskMix Tasks { get; init; } = new();
    /// <summary>Probability that a sample's caption is replaced by the empty prompt, which classifier-free guidance needs.</summary>
    public double TextDropout { get; init; } = 0.1;
    public OptimizerConfig Optimizer { get; init; } = new();
    public DataConfig Data { get; init; } = new();
    public CheckpointConfig Checkpoints { get; init; } = new();
    /// <summary>
    /// What the batch balancer predicts a sample's runtime from: <c>flops</c> (the FLOP count of its sequence length)
    /// or <c>measured</c> (a seqlen → runtime table that rank 0 measures at start and gives to every rank).
    /// </summary>
    public string Balance { get; init; } = FlopBalance;

    public const string FlopBalance = "flops";
    public const string MeasuredBalance = "measured";

    /// <summary>Multi-level activation checkpointing: where each block kind's saved inputs live (keep, recompute, host, disk).</summary>
    public CheckpointPolicy ActivationCheckpointing { get; init; } = new();

    private ModelSource? Resolved { get; init; }

    /// <summary>The resolved model; available once <see cref="Validate"/> has run.</summary>
    [JsonIgnore]
    public ModelSource ModelSource => Resolved ?? throw new InvalidOperationException("the training config has not been validated; call Validate first");

    [JsonIgnore]
    public SeaweedConfig ModelConfig => ModelSource.Config;

    /// <summary>
    /// Resolves the model against <paramref name="baseDirectory"/> (the current directory when null) and checks
    /// every field; returns the resolved config.
    /// </summary>
    public TrainingConfig Validate(string? baseDirectory = null)
    {
        // A validated config re-validated after a `with` keeps its model unless the model itself changed.
        var source = Resolved is { } known && known.Name == Model && baseDirectory is null
            ? known
            : ModelSource.Resolve(Require.Present("model", Model), baseDirectory ?? Directory.GetCurrentDirectory());
        var m = source.Config;
        Require.Present("parallel", Parallel).Layout(m.Dit);
        Require.Positive("steps", Steps);
        Require.Positive("globalBatch", GlobalBatch);
        if (GlobalBatch < Parallel.DataRanks)
            throw new ConfigException("globalBatch", $"{GlobalBatch} samples cannot give each of the {Parallel.DataRanks} data ranks (dp·fsdp) one");
        var stages = Curriculum ?? Training.Curriculum.Default(m);
        if (stages.Count == 0) throw new ConfigException("curriculum", "must list at least one stage");
        for (int i = 0; i < stages.Count; i++) Require.Present($"curriculum[{i}]", stages[i]).Validate($"curriculum[{i}]", m);
        Require.SumToOne("curriculum", stages.Select(s => s.Fraction));
        Require.Present("tasks", Tasks).Validate("tasks");
        if (Balance is not (FlopBalance or MeasuredBalance))
            throw new ConfigException("balance", $"'{Balance}' is neither '{FlopBalance}' nor '{MeasuredBalance}'");
        Require.InRange("textDropout", TextDropout, 0, 1);
        Require.Present("optimizer", Optimizer).Validate("optimizer", Steps);
        Require.Present("data", Data).Validate("data");
        Require.Present("checkpoints", Checkpoints).Validate("checkpoints");
        try
        {
            Require.Present("activationCheckpointing", ActivationCheckpointing).Validate();
        }
        catch (ArgumentException e) when (e is not ConfigException)
        {
            throw new ConfigException($"activationCheckpointing.{e.ParamName}", e.Message);
        }
        var resolved = this with { Curriculum = stages, Resolved = source };
        Training.Curriculum.Boundaries(resolved.Curriculum!, Steps); // every stage must get a step
        return resolved;
    }

    /// <summary>The model config's strict camel-case JSON; absent optional sections are not written.</summary>
    public static readonly JsonSerializerOptions Json = new(SeaweedConfig.Json) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>SHA-256 of the config and of the model it resolved to: a checkpoint resumes only the run that wrote it.</summary>
    [JsonIgnore]
    public string Hash => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ToJson() + ModelConfig.ToJson())));

    /// <summary>Parses and validates; relative model paths resolve against <paramref name="baseDirectory"/>.</summary>
    public static TrainingConfig FromJson(string json, string? baseDirectory = null) =>
        ConfigJson.Read<TrainingConfig>(json, Json).Validate(baseDirectory);

    public static TrainingConfig Load(string path)
    {
        if (!File.Exists(path)) throw new ConfigException("config", $"no training config at {path}");
        return FromJson(File.ReadAllText(path), Path.GetDirectoryName(Path.GetFullPath(path)));
    }
}
