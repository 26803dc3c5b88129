using System.Globalization;
using Seaweed.Model;
using static TorchSharp.torch;

namespace Seaweed.Training.Vae;

/// <summary>A checkpoint file that could not be used, and why.</summary>
public sealed record SkippedCheckpoint(string Path, string Reason);

/// <summary>
/// Checkpoints of a VAE run: one safetensors file per step under <c>{output}/checkpoints/</c>, written under a
/// temporary name and renamed when complete, so a file under its final name is whole. A file that still fails to
/// load (truncated or damaged later) is skipped and reported, and the next older one is used.
/// </summary>
public static class VaeCheckpoint
{
    public const string Folder = "checkpoints";
    private const string Prefix = "step-";
    private const string Extension = ".safetensors";

    public static string PathOf(string output, long step) => Path.Combine(output, Folder, $"{Prefix}{step:D9}{Extension}");

    /// <summary>Writes the checkpoint of <paramref name="step"/>, then deletes all but the <paramref name="keep"/> newest.</summary>
    public static string Write(string output, long step, IEnumerable<KeyValuePair<string, Tensor>> tensors, int keep)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(keep);
        string path = PathOf(output, step);
        Safetensors.Save(path, tensors);
        foreach (var (_, old) in Steps(output).OrderDescending().Skip(keep).Select(s => (s, PathOf(output, s)))) File.Delete(old);
        return path;
    }

    /// <summary>Steps that have a checkpoint file, whole or not.</summary>
    public static IReadOnlyList<long> Steps(string output)
    {
        var folder = Path.Combine(output, Folder);
        if (!Directory.Exists(folder)) return [];
        return Directory.EnumerateFiles(folder, $"{Prefix}*{Extension}")
            .Select(f => Path.GetFileName(f)[Prefix.Length..^Extension.Length])
            .Where(s => s.Length > 0 && s.All(char.IsAsciiDigit))
            .Select(s => long.Parse(s, CultureInfo.InvariantCulture))
            .Order()
            .ToList();
    }

    /// <summary>The newest checkpoint that loads, with the newer ones that did not; null when none loads.</summary>
    public static (long Step, Dictionary<string, Tensor> Tensors)? LoadLatest(string output, List<SkippedCheckpoint> skipped)
    {
        foreach (long step in Steps(output).OrderDescending())
        {
            string path = PathOf(output, step);
            try
            {
                return (step, Safetensors.Load(path));
            }
            catch (Exception e) when (e is SafetensorsException or InvalidDataException)
            {
                skipped.Add(new SkippedCheckpoint(path, e.Message));
            }
        }
        return null;
    }
}
