using Seaweed.Model;

namespace Seaweed.Data.Video;

/// <summary>
/// Reads and writes videos by path: .mp4 through ffmpeg (an animated GIF beside it when ffmpeg is missing), .gif,
/// single-frame .png, and directories of numbered PNG frames. Every write lands under its final name only when complete.
/// </summary>
public sealed class VideoIO
{
    private static readonly HashSet<string> FfmpegReadable = new(StringComparer.OrdinalIgnoreCase) { ".mp4", ".mkv", ".webm", ".avi", ".mov", ".gif" };

    /// <param name="ffmpeg">Null locates ffmpeg the usual way (<see cref="Ffmpeg.Locate()"/>).</param>
    public VideoIO(Ffmpeg? ffmpeg = null) => Ffmpeg = ffmpeg ?? Ffmpeg.Locate();

    public Ffmpeg Ffmpeg { get; }

    /// <summary>
    /// Writes by the target's form: an existing directory, a path ending in a separator, or a path without extension
    /// gets numbered PNGs plus video.json; otherwise the extension (.mp4, .gif, .png) picks the format.
    /// </summary>
    public async Task<VideoWriteResult> WriteAsync(VideoFrames video, string path, Mp4EncodeOptions? mp4 = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(video);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = Path.GetFullPath(path);
        if (IsDirectoryTarget(path))
        {
            await PngSequence.WriteAsync(video, path, cancellationToken).ConfigureAwait(false);
            return new VideoWriteResult(Path.TrimEndingDirectorySeparator(full));
        }

        string ext = Path.GetExtension(path).ToLowerInvariant();
        switch (ext)
        {
            case ".mp4" when Ffmpeg.IsAvailable:
                await Ffmpeg.EncodeAsync(video, full, mp4, cancellationToken).ConfigureAwait(false);
                return new VideoWriteResult(full);
            case ".mp4":
                string gif = Path.ChangeExtension(full, ".gif");
                await AtomicFile.WriteStreamAsync(gif, s => GifEncoder.Write(video, s), cancellationToken).ConfigureAwait(false);
                return new VideoWriteResult(gif,
                    $"MP4 needs ffmpeg, which is unavailable: {Ffmpeg.UnavailableReason}. Wrote {Path.GetFileName(gif)} instead of {Path.GetFileName(full)}.");
            case ".gif":
                await AtomicFile.WriteStreamAsync(full, s => GifEncoder.Write(video, s), cancellationToken).ConfigureAwait(false);
                return new VideoWriteResult(full);
            case ".png":
                if (video.FrameCount != 1)
                    throw new ArgumentException(
                        $"{Path.GetFileName(path)}: a PNG holds one frame and this video has {video.FrameCount}; write to a directory for numbered PNG frames, or to .gif/.mp4",
                        nameof(path));
                await AtomicFile.WriteStreamAsync(full, s => PngEncoder.Write(video, 0, s), cancellationToken).ConfigureAwait(false);
                return new VideoWriteResult(full);
            default:
                throw new ArgumentException($"{Path.GetFileName(path)}: cannot write '{ext}'; use .mp4, .gif, .png or a directory", nameof(path));
        }
    }

    /// <summary>
    /// Reads a directory of numbered PNGs, a .png (one frame), or through ffmpeg any video it decodes (.mp4, .mkv,
    /// .webm, .avi, .mov, .gif, …).
    /// </summary>
    /// <exception cref="FfmpegUnavailableException">The format needs ffmpeg and it is missing.</exception>
    public async Task<VideoFrames> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Directory.Exists(path)) return await PngSequence.ReadAsync(path, cancellationToken).ConfigureAwait(false);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such video file or frame directory", path);

        string ext = Path.GetExtension(path);
        if (ext.Equals(".png", StringComparison.OrdinalIgnoreCase))
            return await PngDecoder.ReadAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!Ffmpeg.IsAvailable)
            throw new FfmpegUnavailableException(
                $"{Path.GetFileName(path)}: reading {(FfmpegReadable.Contains(ext) ? ext : $"'{ext}' files")} needs ffmpeg: {Ffmpeg.UnavailableReason}");
        return await Ffmpeg.DecodeAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static bool IsDirectoryTarget(string path) =>
        Directory.Exists(path) || Path.EndsInDirectorySeparator(path) || Path.GetExtension(path).Length == 0;
}
