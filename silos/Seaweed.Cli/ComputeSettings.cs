using Microsoft.Extensions.Configuration;
using Seaweed.Model;
using static TorchSharp.torch;

namespace Seaweed.Cli;

/// <summary>
/// <c>Seaweed:Compute</c> from appsettings.json beside the executable, overridden by environment variables
/// (<c>Seaweed__Compute__Threads=2</c>).
/// </summary>
internal sealed record ComputeSettings
{
    public const string Section = "Seaweed:Compute";

    /// <summary>libtorch intra-op threads; 0 keeps libtorch's default (one per core).</summary>
    public int Threads { get; init; }

    /// <summary>appsettings.json beside the executable, then environment variables.</summary>
    public static IConfiguration Configuration() => new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
        .AddEnvironmentVariables()
        .Build();

    public static ComputeSettings Load()
    {
        var settings = Configuration().GetSection(Section).Get<ComputeSettings>() ?? new ComputeSettings();
        if (settings.Threads < 0) throw new ConfigException($"{Section}:Threads", $"{settings.Threads} must be 0 (libtorch default) or positive");
        return settings;
    }

    public void Apply()
    {
        if (Threads > 0) set_num_threads(Threads);
    }
}
