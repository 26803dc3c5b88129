using Microsoft.Extensions.Configuration;
using Seaweed.Model;
using static TorchSharp.torch;

namespace Seaweed.Silo;

/// <summary>
/// <c>Seaweed:Compute</c> from appsettings.json beside the executable, overridden by environment variables
/// (<c>Seaweed__Compute__Threads=2</c>).
/// </summary>
public sealed record ComputeSettings
{
    public const string Section = "Seaweed:Compute";

    /// <summary>libtorch intra-op threads; 0 keeps libtorch's default (one per core).</summary>
    public int Threads { get; init; }

    /// <summary>Keep freed tensor memory for reuse instead of returning it to the kernel (<see cref="GlibcHeap"/>); on by default.</summary>
    public bool RetainFreedMemory { get; init; } = true;

    /// <summary>appsettings.json beside the executable, then environment variables: what the CLI and the silo host read.</summary>
    public static IConfiguration Configuration() => new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
        .AddEnvironmentVariables()
        .Build();

    public static ComputeSettings Load(IConfiguration? configuration = null)
    {
        var settings = ConfigSection.Bind<ComputeSettings>(configuration ?? Configuration(), Section);
        if (settings.Threads < 0) throw new ConfigException($"{Section}:Threads", $"{settings.Threads} must be 0 (libtorch default) or positive");
        return settings;
    }

    /// <summary>libtorch's thread count and the C heap are process-global: every silo and verb of the process shares them.</summary>
    public void Apply()
    {
        if (Threads > 0) set_num_threads(Threads);
        if (RetainFreedMemory) GlibcHeap.RetainFreedBlocks();
    }
}
