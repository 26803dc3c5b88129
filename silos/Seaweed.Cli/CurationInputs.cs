using Seaweed.Data.Footage;
using Seaweed.Data.Store;
using Seaweed.Data.Video;
using Seaweed.Grains.Curation;

namespace Seaweed.Cli;

/// <summary>The videos a curation run reads, as store keys, and their ground truth where there is any.</summary>
internal sealed record CurationInputSet(IReadOnlyList<CurationInput> Inputs, IReadOnlyDictionary<string, FootageTruth> Truth)
{
    public bool HasTruth => Truth.Count > 0;
}

/// <summary>
/// Puts the input videos into the artefact store, where every silo can read them: synthetic raw footage with its
/// ground truth (<see cref="FootageStore"/>), or the video files of a directory with any <c>NAME.truth.json</c> sidecars.
/// </summary>
internal static class CurationInputs
{
    private static readonly string[] VideoExtensions = [".mp4", ".mkv", ".webm", ".avi", ".mov", ".gif"];

    public static async Task<CurationInputSet> SyntheticAsync(IArtefactStore store, VideoIO io, int videos, long seed, IProgress<int> progress)
    {
        if (videos <= 0) throw new ArgumentException($"--synthetic: {videos} must be a positive number of videos", "--synthetic");
        if (!io.Ffmpeg.IsAvailable) throw new FfmpegUnavailableException($"--synthetic writes MP4 footage and needs ffmpeg: {io.Ffmpeg.UnavailableReason}");
        var generator = new FootageGenerator(new FootageOptions { Seed = seed });
        string prefix = $"inputs/synthetic-s{seed}/";
        var truth = new FootageTruth[videos];
        int done = 0;
        await System.Threading.Tasks.Parallel.ForAsync(0, videos, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, async (v, ct) =>
        {
            truth[v] = await FootageStore.EnsureAsync(store, io.Ffmpeg, generator, prefix, v, ct);
            progress.Report(Interlocked.Increment(ref done));
        });
        var inputs = Enumerable.Range(0, videos).Select(v => new CurationInput(FootageGenerator.VideoId(v), FootageStore.VideoKey(prefix, v))).ToArray();
        return new CurationInputSet(inputs, truth.ToDictionary(t => t.VideoId, StringComparer.Ordinal));
    }

    public static async Task<CurationInputSet> ImportAsync(IArtefactStore store, VideoIO io, string directory, string dataset)
    {
        if (!Directory.Exists(directory)) throw new ArgumentException($"--input: '{directory}' is not a directory", "--input");
        if (!io.Ffmpeg.IsAvailable) throw new FfmpegUnavailableException($"--input decodes videos with ffmpeg: {io.Ffmpeg.UnavailableReason}");
        var files = Directory.EnumerateFiles(directory)
            .Where(f => VideoExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0) throw new ArgumentException($"--input: '{directory}' holds no video files ({string.Join(", ", VideoExtensions)})", "--input");
        var inputs = new List<CurationInput>();
        var truth = new Dictionary<string, FootageTruth>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            string id = VideoId(Path.GetFileNameWithoutExtension(file));
            if (inputs.Any(i => i.VideoId == id)) throw new ArgumentException($"--input: two files map to the video id '{id}'", "--input");
            string key = $"inputs/{dataset}/{id}{Path.GetExtension(file).ToLowerInvariant()}";
            await using (var stream = File.OpenRead(file)) await store.WriteAsync(key, stream, ArtefactWriteMode.Overwrite);
            inputs.Add(new CurationInput(id, key));
            string sidecar = Path.Combine(directory, Path.GetFileNameWithoutExtension(file) + FootageStore.TruthSuffix);
            if (File.Exists(sidecar)) truth[id] = FootageTruth.FromJson(await File.ReadAllTextAsync(sidecar), sidecar);
        }
        return new CurationInputSet(inputs, truth);
    }

    /// <summary>A file name as one artefact key segment: anything outside ASCII letters, digits and -_ becomes _.</summary>
    private static string VideoId(string name) =>
        new(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());
}
