using System.Globalization;
using System.Text.Json;
using Seaweed.Model;

namespace Seaweed.Data.Video;

/// <summary>
/// A video as a directory of numbered PNGs (frame_00000.png …) plus video.json carrying the fps, which PNG cannot.
/// The directory is built under a temporary name and swapped in whole.
/// </summary>
internal static class PngSequence
{
    public const string MetadataFile = "video.json";
    private const string Prefix = "frame_", Suffix = ".png";

    private sealed record Metadata(double Fps, int FrameCount, int Width, int Height);

    public static string FrameName(int t) => $"{Prefix}{t:D5}{Suffix}";

    public static async Task WriteAsync(VideoFrames video, string directory, CancellationToken cancellationToken)
    {
        string target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        if (File.Exists(target)) throw new IOException($"{directory}: a file exists where the frame directory should go");
        string parent = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(parent);
        string temp = AtomicFile.TempSibling(target);
        try
        {
            Directory.CreateDirectory(temp);
            await Task.Run(() =>
            {
                for (int t = 0; t < video.FrameCount; t++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    using var fs = new FileStream(Path.Combine(temp, FrameName(t)), FileMode.CreateNew);
                    PngEncoder.Write(video, t, fs);
                }
            }, cancellationToken).ConfigureAwait(false);
            var meta = new Metadata(video.Fps, video.FrameCount, video.Width, video.Height);
            await File.WriteAllTextAsync(Path.Combine(temp, MetadataFile), JsonSerializer.Serialize(meta, JsonOptions), cancellationToken).ConfigureAwait(false);
            SwapIn(temp, target, directory);
        }
        catch
        {
            AtomicFile.TryDelete(temp);
            throw;
        }
    }

    public static async Task<VideoFrames> ReadAsync(string directory, CancellationToken cancellationToken)
    {
        string dir = Path.GetFullPath(directory);
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"{directory}: no such frame directory");
        var numbered = new SortedDictionary<int, string>();
        foreach (var file in Directory.EnumerateFiles(dir, Prefix + "*" + Suffix))
        {
            string digits = Path.GetFileName(file)[Prefix.Length..^Suffix.Length];
            if (int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int t)) numbered[t] = file;
        }
        if (numbered.Count == 0) throw new VideoFormatException(directory, $"no {Prefix}NNNNN{Suffix} frames in the directory");
        int expect = 0;
        foreach (int t in numbered.Keys)
        {
            if (t != expect) throw new VideoFormatException(directory, $"frame {FrameName(expect)} is missing (frames must be numbered from 0 without gaps)");
            expect++;
        }

        double fps = PngDecoder.DefaultFps;
        string metaPath = Path.Combine(dir, MetadataFile);
        if (File.Exists(metaPath))
        {
            Metadata? meta;
            try { meta = JsonSerializer.Deserialize<Metadata>(await File.ReadAllTextAsync(metaPath, cancellationToken).ConfigureAwait(false), JsonOptions); }
            catch (JsonException e) { throw new VideoFormatException(metaPath, $"unreadable: {e.Message}", e); }
            if (meta is null || !double.IsFinite(meta.Fps) || meta.Fps <= 0) throw new VideoFormatException(metaPath, "fps must be a positive number");
            fps = meta.Fps;
        }

        VideoFrames? video = null;
        foreach (var (t, file) in numbered)
        {
            var frame = await PngDecoder.ReadAsync(file, fps, cancellationToken).ConfigureAwait(false);
            video ??= new VideoFrames(frame.Width, frame.Height, numbered.Count, fps);
            if (frame.Width != video.Width || frame.Height != video.Height)
                throw new VideoFormatException(file, $"is {frame.Width}x{frame.Height}, {FrameName(0)} is {video.Width}x{video.Height}");
            frame.ReadFrame(0).CopyTo(video.Frame(t));
        }
        return video!;
    }

    /// <summary>Moves the finished temp directory to the target; an earlier sequence there is replaced, anything else is left alone.</summary>
    private static void SwapIn(string temp, string target, string shown)
    {
        if (!Directory.Exists(target))
        {
            Directory.Move(temp, target);
            return;
        }
        bool empty = !Directory.EnumerateFileSystemEntries(target).Any();
        if (!empty && !File.Exists(Path.Combine(target, MetadataFile)))
            throw new IOException($"{shown}: the directory is not empty and holds no frame sequence ({MetadataFile}); refusing to replace it");
        string old = AtomicFile.TempSibling(target);
        Directory.Move(target, old);
        Directory.Move(temp, target);
        AtomicFile.TryDelete(old);
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };
}
