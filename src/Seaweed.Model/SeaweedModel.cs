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
    /// replaced only with <paramref name="overwrite"/>.
    /// </summary>
    public void Save(string directory, bool overwrite = false)
    {
        var target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        bool exists = Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any();
        if (exists && !overwrite)
            throw new IOException($"{directory} is not empty; pass overwrite to replace the model there");
        var staging = $"{target}.{Guid.NewGuid():N}.tmp";
        Directory.CreateDirectory(staging);
        try
        {
            Safetensors.Save(Path.Combine(staging, WeightsFile), state_dict(),
                new Dictionary<string, string> { ["format"] = "pt", ["model"] = Config.Name });
            File.WriteAllText(Path.Combine(staging, TokenizerFile), Tokenizer.ToJson());
            File.WriteAllText(Path.Combine(staging, ConfigFile), Config.ToJson());
            if (!Directory.Exists(target)) Directory.Move(staging, target);
            else
            {
                var previous = $"{target}.{Guid.NewGuid():N}.old";
                Directory.Move(target, previous);
                Directory.Move(staging, target);
                Directory.Delete(previous, recursive: true);
            }
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
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
        var model = new SeaweedModel(config, tokenizer);
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

    /// <summary>Copies every parameter and buffer from <paramref name="tensors"/>; names, shapes and dtypes must match exactly.</summary>
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
            if (loaded.dtype != target.dtype)
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
