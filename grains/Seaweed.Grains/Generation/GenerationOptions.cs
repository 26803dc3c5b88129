using Seaweed.Model.Pipeline;

namespace Seaweed.Grains.Generation;

/// <summary>
/// How a silo generates (configuration section <see cref="Section"/>): the bounded queue, the worker threads that run
/// the models, where models are found, and the bounds on what one request may ask for.
/// </summary>
public sealed record GenerationOptions
{
    public const string Section = "Seaweed:Generation";

    /// <summary>Jobs a silo holds at once, running or waiting; one more is refused with <see cref="GenerationQueueFullException"/>.</summary>
    public int QueueCapacity { get; init; } = 8;

    /// <summary>Dedicated threads that run the models: jobs beyond this many wait in the queue.</summary>
    public int Workers { get; init; } = 1;

    /// <summary>Models a silo keeps loaded at once (<see cref="ModelCache"/>): the least recently used one not in use makes way for another.</summary>
    public int CachedModels { get; init; } = DefaultCachedModels;

    public const int DefaultCachedModels = 2;

    /// <summary>The model directory a request without <see cref="GenerationRequest.Model"/> uses.</summary>
    public string DefaultModel { get; init; } = Path.Combine("models", "seaweed-tiny");

    /// <summary>Where a request's named model lives: <c>{ModelRoot}/{name}</c>.</summary>
    public string ModelRoot { get; init; } = "models";

    /// <summary>Latent frames the VAE decodes at a time (the first frame is always alone).</summary>
    public int DecodeChunkFrames { get; init; } = GenerationPipeline.DefaultDecodeChunkFrames;

    /// <summary>Frames per second of the stored video.</summary>
    public double Fps { get; init; } = 8;

    /// <summary>The ffmpeg binary; null locates it as <c>Ffmpeg.Locate()</c> does. Without it videos are stored as GIF.</summary>
    public string? Ffmpeg { get; init; }

    public GenerationLimits Limits { get; init; } = new(); // its own: the configuration binder writes into it in place

    /// <summary>
    /// How often a job's reminder looks for it being worked on: a job whose silo died is taken up again at the next
    /// tick, whether or not anyone calls it. Orleans refuses periods under <c>ReminderOptions.MinimumReminderPeriod</c>
    /// (1 minute unless the host lowers it).
    /// </summary>
    public TimeSpan WatchdogPeriod { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Frames of more pixels (width × height) than this are decoded on <see cref="TileRows"/> × <see cref="TileColumns"/>
    /// tiles spread over the cluster's silos (the exact tiled decode) instead of whole on the job's silo; null: only
    /// requests that ask for tiles are.
    /// </summary>
    public long? TileAbovePixels { get; init; }

    public int TileRows { get; init; } = 2;
    public int TileColumns { get; init; } = 2;

    /// <summary>The model name decode jobs give the silo's default model: no model is called so (names have no parentheses).</summary>
    public const string DefaultModelName = "(default)";

    /// <summary>Throws an ArgumentException naming the first option that is out of range.</summary>
    public GenerationOptions Validate()
    {
        if (QueueCapacity <= 0) throw new ArgumentException($"{QueueCapacity} must be positive", nameof(QueueCapacity));
        if (Workers <= 0) throw new ArgumentException($"{Workers} must be positive", nameof(Workers));
        if (CachedModels <= 0) throw new ArgumentException($"{CachedModels} must be positive", nameof(CachedModels));
        if (DecodeChunkFrames <= 0) throw new ArgumentException($"{DecodeChunkFrames} must be positive", nameof(DecodeChunkFrames));
        if (!double.IsFinite(Fps) || Fps <= 0) throw new ArgumentException($"{Fps} must be a positive number", nameof(Fps));
        if (string.IsNullOrWhiteSpace(DefaultModel)) throw new ArgumentException("must name a model directory", nameof(DefaultModel));
        ArgumentNullException.ThrowIfNull(Limits, nameof(Limits));
        if (WatchdogPeriod <= TimeSpan.Zero) throw new ArgumentException($"{WatchdogPeriod} must be positive", nameof(WatchdogPeriod));
        if (TileAbovePixels < 0) throw new ArgumentException($"{TileAbovePixels} must be 0 or more", nameof(TileAbovePixels));
        if (TileRows <= 0) throw new ArgumentException($"{TileRows} must be positive", nameof(TileRows));
        if (TileColumns <= 0) throw new ArgumentException($"{TileColumns} must be positive", nameof(TileColumns));
        return this;
    }

    /// <summary>
    /// The directory of <paramref name="model"/>: null is <see cref="DefaultModel"/>; a name (letters, digits and
    /// <c>-_.</c>, never a path) lives under <see cref="ModelRoot"/>, so a request cannot point a silo at any directory.
    /// </summary>
    public string ModelDirectory(string? model)
    {
        if (model is null) return Path.GetFullPath(DefaultModel);
        if (model.Length == 0 || model.Length > 100 || model is "." or ".." || !model.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            throw new GenerationInputException("model", $"'{model}' is not a model name (letters, digits and -_. only)");
        return Path.GetFullPath(Path.Combine(ModelRoot, model));
    }

    /// <summary>The grid a request's video is decoded on: its own, else the silo's when a frame is over <see cref="TileAbovePixels"/>; null: whole.</summary>
    public DecodeTiles? TilesFor(GenerationRequest request) =>
        request.Tiles ?? ((long)request.Width * request.Height > TileAbovePixels ? new DecodeTiles(TileRows, TileColumns) : null);
}
