using System.Diagnostics;
using Seaweed.Model;
using Seaweed.Parallel.Sharding;
using Seaweed.Training.Samples;
using static TorchSharp.torch;

namespace Seaweed.Training.Vae;

/// <summary>What one VAE step did.</summary>
/// <param name="Step">Steps taken after this one (1 for the first).</param>
/// <param name="GradNorm">The VAE's gradient L2 norm before clipping.</param>
/// <param name="Gan">Whether the discriminators took part.</param>
public sealed record VaeStepMetrics(long Step, VaeBatchShape Shape, VaeLosses Losses, double GradNorm, double LearningRate, bool Gan, double Seconds);

/// <summary>
/// Trains a model's VAE (Seaweed §3.1–3.4): the stages' images, then videos, at mixed shapes; L1 + SSIM + KL, and
/// from <c>gan.start</c> the hinge losses of an image and a video PatchGAN with spectral norm. Each step first
/// updates the VAE (the discriminators frozen, their u vectors kept), then the discriminators on the real clips
/// against the detached reconstructions. Everything a step draws comes from (seed, step) and the data cursor, so
/// a run restored from its checkpoint continues exactly as if it had never stopped.
/// </summary>
public sealed class VaeTrainer : IDisposable
{
    private readonly VaeTrainingConfig config;
    private readonly ModuleAdamW vaeOptimizer;
    private readonly ModuleAdamW imageOptimizer;
    private readonly ModuleAdamW videoOptimizer;
    private readonly LearningRateSchedule schedule;

    public VaeTrainer(VaeTrainingConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        this.config = config;
        Batches = new VaeBatches(config);
        var gan = config.Gan;
        (Model, ImageDiscriminator, VideoDiscriminator) = SeededInit.Create(config.Seed, () => (
            config.ModelSource.Directory is { } directory
                ? SeaweedModel.Load(directory)
                : new SeaweedModel(config.ModelSource.Config, Tokenizer.Build(new WorldSampleSource(config.Seed, 2).Corpus(), config.ModelSource.Config.Text)),
            PatchDiscriminator.Image(gan.Channels, gan.PowerIterations),
            PatchDiscriminator.Video(gan.Channels, gan.PowerIterations)));
        // Only the VAE trains here; the DiT and text encoder are trained later, by `seaweed train`.
        foreach (var p in Model.Dit.parameters().Concat(Model.Text.parameters())) p.requires_grad_(false);
        var o = config.Optimizer;
        vaeOptimizer = new ModuleAdamW(Model.Vae, new AdamWOptions { Beta1 = o.Betas[0], Beta2 = o.Betas[1], Eps = o.Eps, WeightDecay = o.WeightDecay },
            o.GradClip > 0 ? o.GradClip : null);
        var d = new AdamWOptions { Beta1 = gan.Betas[0], Beta2 = gan.Betas[1], Eps = o.Eps, WeightDecay = 0 };
        imageOptimizer = new ModuleAdamW(ImageDiscriminator, d, null);
        videoOptimizer = new ModuleAdamW(VideoDiscriminator, d, null);
        schedule = new LearningRateSchedule(o, config.Steps);
    }

    public VaeTrainingConfig Config => config;
    public VaeBatches Batches { get; }
    public SeaweedModel Model { get; }
    public PatchDiscriminator ImageDiscriminator { get; }
    public PatchDiscriminator VideoDiscriminator { get; }

    /// <summary>Steps taken; the next <see cref="Step"/> is step index <see cref="CompletedSteps"/>.</summary>
    public long CompletedSteps { get; private set; }

    /// <summary>Where the next step's clips start in the image and video streams.</summary>
    public DataCursor Cursor { get; private set; }

    public bool IsComplete => CompletedSteps >= config.Steps;

    public VaeStepMetrics Step()
    {
        if (IsComplete) throw new InvalidOperationException($"the run's {config.Steps} steps are done");
        var clock = Stopwatch.StartNew();
        long index = CompletedSteps;
        using var scope = NewDisposeScope();
        var (shape, video, next) = Batches.Take(index, Cursor);
        double lr = schedule.At(index);
        bool gan = index >= config.Gan.Start;
        var vae = Model.Vae;
        vae.train();

        // The VAE's update: the discriminators judge, but neither learn nor advance their power iteration.
        SetTraining(false);
        var posterior = vae.Encode(video);
        using var noise = new Generator(Draws.TorchSeed(config.Seed, index, 0, "vae-posterior"));
        var reconstruction = vae.Decode(posterior.Sample(noise));
        var (loss, l1, ssim, kl) = VaeLoss.Reconstruction(config.Loss, video, reconstruction, posterior);
        double generator = 0;
        if (gan && config.Gan.Weight > 0)
        {
            var g = VaeLoss.Generator(ImageDiscriminator, VideoDiscriminator, reconstruction);
            loss = loss + config.Gan.Weight * g;
            generator = g.item<float>();
        }
        vaeOptimizer.ZeroGrad();
        loss.backward();
        double gradNorm = vaeOptimizer.Step(lr);

        double discriminator = 0;
        if (gan)
        {
            SetTraining(true);
            imageOptimizer.ZeroGrad();
            videoOptimizer.ZeroGrad();
            var d = VaeLoss.Discriminator(ImageDiscriminator, VideoDiscriminator, video, reconstruction.detach());
            d.backward();
            imageOptimizer.Step(config.Gan.Lr);
            if (VaeLoss.UsesVideoDiscriminator(video)) videoOptimizer.Step(config.Gan.Lr);
            discriminator = d.item<float>();
            SetTraining(false);
        }
        CompletedSteps = index + 1;
        Cursor = next;
        var losses = new VaeLosses(loss.item<float>(), l1.item<float>(), ssim.item<float>(), kl.item<float>(), generator, discriminator);
        return new VaeStepMetrics(CompletedSteps, shape, losses, gradNorm, lr, gan, clock.Elapsed.TotalSeconds);
    }

    private void SetTraining(bool on)
    {
        foreach (var d in new[] { ImageDiscriminator, VideoDiscriminator })
        {
            d.train(on);
            foreach (var p in d.parameters()) p.requires_grad_(on);
        }
    }

    private const string VaePrefix = "vae.";
    private const string ImagePrefix = "image_discriminator.";
    private const string VideoPrefix = "video_discriminator.";
    private const string ProgressKey = "progress";
    private const string ConfigKey = "config_sha256";

    /// <summary>
    /// Everything the run needs to continue: the VAE, both discriminators (with their u vectors), the three
    /// optimizer states, the step and the data cursor, and the config's hash. Copies, owned by the caller's scope.
    /// </summary>
    public IEnumerable<KeyValuePair<string, Tensor>> CheckpointTensors()
    {
        var modules = new (string Prefix, nn.Module Module)[] { (VaePrefix, Model.Vae), (ImagePrefix, ImageDiscriminator), (VideoPrefix, VideoDiscriminator) };
        foreach (var (prefix, module) in modules)
            foreach (var (name, t) in module.state_dict()) yield return new(prefix + name, t.detach().clone());
        foreach (var kv in vaeOptimizer.State("optimizer." + VaePrefix)) yield return kv;
        foreach (var kv in imageOptimizer.State("optimizer." + ImagePrefix)) yield return kv;
        foreach (var kv in videoOptimizer.State("optimizer." + VideoPrefix)) yield return kv;
        yield return new(ProgressKey, tensor(new[] { CompletedSteps, Cursor.Images, Cursor.Videos }));
        yield return new(ConfigKey, tensor(config.Hash));
    }

    /// <summary>Writes the checkpoint of the steps taken so far; returns its path.</summary>
    public string SaveCheckpoint()
    {
        using var scope = NewDisposeScope();
        return VaeCheckpoint.Write(config.OutputDirectory, CompletedSteps, CheckpointTensors().ToList(), config.Checkpoints.Keep);
    }

    /// <summary>Continues from tensors written by <see cref="CheckpointTensors"/> of a run of this config.</summary>
    public void Restore(IReadOnlyDictionary<string, Tensor> tensors, string source)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        Tensor Get(string key) => tensors.TryGetValue(key, out var t) ? t : throw new InvalidDataException($"{source}: no tensor '{key}'");
        if (!Get(ConfigKey).data<byte>().ToArray().SequenceEqual(config.Hash))
            throw new ConfigException("config", $"{source} was written by a run of another config (or model); start a new run in another output directory");
        var progress = Get(ProgressKey).data<long>().ToArray();
        if (progress.Length != 3 || progress[0] < 0 || progress[0] > config.Steps)
            throw new InvalidDataException($"{source}: progress [{string.Join(",", progress)}] is not (step ≤ {config.Steps}, images, videos)");
        Load(Model.Vae, tensors, VaePrefix, source);
        Load(ImageDiscriminator, tensors, ImagePrefix, source);
        Load(VideoDiscriminator, tensors, VideoPrefix, source);
        vaeOptimizer.Restore(tensors, "optimizer." + VaePrefix, source);
        imageOptimizer.Restore(tensors, "optimizer." + ImagePrefix, source);
        videoOptimizer.Restore(tensors, "optimizer." + VideoPrefix, source);
        CompletedSteps = progress[0];
        Cursor = new DataCursor(progress[1], progress[2]);
    }

    /// <summary>Restores the newest checkpoint of the output directory that loads; false when there is none.</summary>
    public bool RestoreLatest(List<SkippedCheckpoint> skipped)
    {
        if (VaeCheckpoint.LoadLatest(config.OutputDirectory, skipped) is not { } latest) return false;
        try
        {
            Restore(latest.Tensors, VaeCheckpoint.PathOf(config.OutputDirectory, latest.Step));
        }
        finally
        {
            foreach (var t in latest.Tensors.Values) t.Dispose();
        }
        return true;
    }

    /// <summary>Writes the model with the VAE as trained so far to <c>{output}/model</c>; see <see cref="VaeExport"/>.</summary>
    public (string Directory, double LatentScale) ExportModel() => VaeExport.Write(Model, config.OutputDirectory, config.Seed);

    private static void Load(nn.Module module, IReadOnlyDictionary<string, Tensor> tensors, string prefix, string source)
    {
        var state = module.state_dict();
        foreach (var (name, target) in state)
        {
            if (!tensors.TryGetValue(prefix + name, out var loaded)) throw new InvalidDataException($"{source}: no tensor '{prefix}{name}'");
            if (loaded.dtype != target.dtype || !loaded.shape.SequenceEqual(target.shape))
                throw new InvalidDataException($"{source}: '{prefix}{name}' is {loaded.dtype} [{string.Join(",", loaded.shape)}], the model needs {target.dtype} [{string.Join(",", target.shape)}]");
        }
        using var noGrad = no_grad();
        foreach (var (name, target) in state) target.copy_(tensors[prefix + name]);
    }

    public void Dispose()
    {
        vaeOptimizer.Dispose();
        imageOptimizer.Dispose();
        videoOptimizer.Dispose();
        ImageDiscriminator.Dispose();
        VideoDiscriminator.Dispose();
        Model.Dispose();
    }
}
