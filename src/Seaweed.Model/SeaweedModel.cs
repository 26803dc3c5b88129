using static TorchSharp.torch;

namespace Seaweed.Model;

/// <summary>
/// The three networks of one model and its tokenizer. On disk: a directory with <c>config.json</c>,
/// <c>tokenizer.json</c> and <c>model.safetensors</c> (keys prefixed <c>vae.</c>, <c>dit.</c>, <c>text.</c>).
/// </summary>
public sealed class SeaweedModel : nn.Module
{
    public const string ConfigFile = "config.json";
    public const string TokenizerFile = "tokenizer.json";
    public const string WeightsFile = "model.safetensors";

    private readonly CausalVae vae;
    private readonly HybridStreamDiT dit;
    private readonly TextEncoder text;

    public SeaweedConfig Config { get; }
    public Tokenizer Tokenizer { get; }
    public CausalVae Vae => vae;
    public HybridStreamDiT Dit => dit;
    public TextEncoder Text => text;

    public SeaweedModel(SeaweedConfig config, Tokenizer tokenizer) : base(nameof(SeaweedModel))
    {
        Config = config.Validate();
        Tokenizer = tokenizer;
        vae = new CausalVae(config.Vae);
        dit = new HybridStreamDiT(config);
        text = new TextEncoder(config.Text);
        RegisterComponents();
    }

    /// <summary>
    /// Writes the model to <paramref name="directory"/>: the files are written into a staging directory that is
    /// renamed into place once complete, so a reader never sees a half-written model. An existing model there is
    /// replaced only with <paramref name="overwrite"/>. Weights are stored at <paramref name="precision"/>.
    /// </summary>
    public void Save(string directory, bool overwrite = false, WeightPrecision precision = WeightPrecision.Float32)
    {
        var target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        bool exists = Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any();
        if (exists && !overwrite)
            throw new IOException($"{directory} is not empty; pass overwrite to replace the model there");
        var staging = $"{target}.{Guid.NewGuid():N}.tmp";
        Directory.CreateDirectory(staging);
        try
        {
            using (var scope = NewDisposeScope())
                Safetensors.Save(Path.Combine(staging, WeightsFile), state_dict().Select(kv => KeyValuePair.Create(kv.Key, precision.Stored(kv.Value))),
                    new Dictionary<string, string> { ["format"] = "pt", ["model"] = Config.Name, ["precision"] = precision.Name() });
            File.WriteAllText(Path.Combine(staging, TokenizerFile), Tokenizer.ToJson());
            File.WriteAllText(Path.Combine(staging, ConfigFile), Config.ToJson());
            SwapIn(staging, target, Directory.Move, dir => Directory.Delete(dir, recursive: true));
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>
    /// Renames <paramref name="staging"/> to <paramref name="target"/>. An existing target is first set aside and
    /// is renamed back if the swap fails; removing it afterwards is best-effort, since the new model is in place.
    /// </summary>
    internal static void SwapIn(string staging, string target, Action<string, string> move, Action<string> deleteTree)
    {
        if (!Directory.Exists(target))
        {
            move(staging, target);
            return;
        }
        var previous = $"{target}.{Guid.NewGuid():N}.old";
        move(target, previous);
        try
        {
            move(staging, target);
        }
        catch (Exception swap)
        {
            try
            {
                move(previous, target);
            }
            catch (Exception restore)
            {
                throw new IOException($"could not move the new model into {target} ({swap.Message}) nor restore the previous one, which is kept at {previous}",
                    new AggregateException(swap, restore));
            }
            throw;
        }
        try
        {
            deleteTree(previous);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover copy of the old model is harmless; failing here would report a successful save as failed.
        }
    }

    /// <summary>Pixel video (B, 3, T, H, W) in [−1, 1] → the latent the DiT models: the scaled posterior mean.</summary>
    public Tensor EncodeVideo(Tensor video)
    {
        using var scope = NewDisposeScope();
        return vae.ToDiffusionLatent(vae.Encode(video).Mean).MoveToOuterDisposeScope();
    }

    /// <summary>A DiT latent → pixel video; decodes <paramref name="chunkFrames"/> latent frames at a time when given.</summary>
    public Tensor DecodeVideo(Tensor latent, int? chunkFrames = null)
    {
        using var scope = NewDisposeScope();
        var z = vae.FromDiffusionLatent(latent);
        var video = chunkFrames is { } chunk ? vae.DecodeChunked(z, chunk) : vae.Decode(z);
        return video.MoveToOuterDisposeScope();
    }

    public static SeaweedModel Load(string directory)
    {
        string Need(string file)
        {
            var path = Path.Combine(directory, file);
            return File.Exists(path) ? path : throw new FileNotFoundException($"model directory '{directory}' has no {file}", path);
        }
        var config = SeaweedConfig.FromJson(File.ReadAllText(Need(ConfigFile)));
        var tokenizer = Tokenizer.FromJson(File.ReadAllText(Need(TokenizerFile)), config.Text);
        var model = SeededInit.Unseeded(() => new SeaweedModel(config, tokenizer));
        var tensors = Safetensors.Load(Need(WeightsFile));
        try
        {
            model.LoadWeights(tensors, Path.Combine(directory, WeightsFile));
        }
        catch
        {
            model.Dispose();
            throw;
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
        return model;
    }

    /// <summary>
    /// Copies every parameter and buffer from <paramref name="tensors"/>; names and shapes must match exactly, dtypes
    /// too, except that half-precision weights are upcast into the model's fp32 ones.
    /// </summary>
    public void LoadWeights(IReadOnlyDictionary<string, Tensor> tensors, string source)
    {
        var state = state_dict();
        var missing = state.Keys.Where(k => !tensors.ContainsKey(k)).ToList();
        if (missing.Count > 0)
            throw new SafetensorsException($"{source}: missing {missing.Count} tensors: {string.Join(", ", missing.Take(5))}{(missing.Count > 5 ? ", …" : "")}");
        var unexpected = tensors.Keys.Where(k => !state.ContainsKey(k)).ToList();
        if (unexpected.Count > 0)
            throw new SafetensorsException($"{source}: unexpected tensors: {string.Join(", ", unexpected.Take(5))}{(unexpected.Count > 5 ? ", …" : "")}");
        foreach (var (name, target) in state)
        {
            var loaded = tensors[name];
            if (loaded.dtype != target.dtype && !(target.dtype == ScalarType.Float32 && loaded.dtype is ScalarType.Float16 or ScalarType.BFloat16))
                throw new SafetensorsException($"{source}: tensor '{name}' has dtype {loaded.dtype}, the model needs {target.dtype}");
            if (!loaded.shape.SequenceEqual(target.shape))
                throw new SafetensorsException($"{source}: tensor '{name}' has shape [{string.Join(",", loaded.shape)}], the model needs [{string.Join(",", target.shape)}]");
        }
        using var noGrad = no_grad();
        foreach (var (name, target) in state) target.copy_(tensors[name]);
    }

    /// <summary>Unique parameters (a shared layer's weights counted once).</summary>
    public static long CountParameters(nn.Module module) => module.parameters().Sum(p => p.numel());
}
