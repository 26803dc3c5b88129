using System.Globalization;
using Seaweed.Model;

namespace Seaweed.Data.Video;

/// <summary>
/// The ffmpeg and ffprobe executables: MP4 (H.264) encoding from, and decoding of any container ffmpeg reads into,
/// <see cref="VideoFrames"/> through rawvideo rgb24 pipes. <see cref="Locate()"/> honours <c>SEAWEED_FFMPEG</c>
/// (the ffmpeg binary; ffprobe is expected beside it), else PATH.
/// </summary>
public sealed partial class Ffmpeg
{
    public const string EnvironmentVariable = "SEAWEED_FFMPEG";
    private static readonly string Exe = OperatingSystem.IsWindows() ? ".exe" : "";

    /// <param name="ffmpegPath">A path to ffmpeg, or a bare name looked up on PATH.</param>
    /// <param name="ffprobePath">Defaults to ffprobe in ffmpeg's directory, else on PATH.</param>
    public Ffmpeg(string ffmpegPath, string? ffprobePath = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ffmpegPath);
        FfmpegPath = Resolve(ffmpegPath);
        string sibling = Path.Combine(Path.GetDirectoryName(FfmpegPath) ?? "", "ffprobe" + Exe);
        FfprobePath = ffprobePath is not null ? Resolve(ffprobePath) : File.Exists(sibling) ? sibling : Resolve("ffprobe" + Exe);
    }

    /// <summary>ffmpeg from <c>SEAWEED_FFMPEG</c> when set, else from PATH; check <see cref="IsAvailable"/>.</summary>
    public static Ffmpeg Locate() => Locate(Environment.GetEnvironmentVariable);

    internal static Ffmpeg Locate(Func<string, string?> environment) =>
        environment(EnvironmentVariable) is { Length: > 0 } configured ? new Ffmpeg(configured) : new Ffmpeg("ffmpeg" + Exe);

    public string FfmpegPath { get; }
    public string FfprobePath { get; }
    public bool IsAvailable => File.Exists(FfmpegPath) && File.Exists(FfprobePath);

    /// <summary>Why <see cref="IsAvailable"/> is false, or null when it is true.</summary>
    public string? UnavailableReason =>
        !File.Exists(FfmpegPath) ? $"ffmpeg not found at '{FfmpegPath}' (set {EnvironmentVariable} or put ffmpeg on PATH; deploy/bootstrap.sh installs it)"
        : !File.Exists(FfprobePath) ? $"ffprobe not found at '{FfprobePath}' (it must sit beside ffmpeg or on PATH)"
        : null;

    /// <summary>Encodes <paramref name="video"/> as H.264 yuv420p MP4 at its own fps; the file appears only when complete.</summary>
    /// <exception cref="ArgumentException">Odd width or height (yuv420p subsamples chroma 2×2).</exception>
    public async Task EncodeAsync(VideoFrames video, string path, Mp4EncodeOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(video);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (video.Width % 2 != 0 || video.Height % 2 != 0)
            throw new ArgumentException(
                $"H.264 yuv420p needs an even width and height; this video is {video.Width}x{video.Height} ({(video.Width % 2 != 0 ? $"width {video.Width}" : $"height {video.Height}")} is odd)",
                nameof(video));
        options ??= Mp4EncodeOptions.Default;
        options.Validate();
        EnsureAvailable();

        await AtomicFile.WriteAsync(path, async temp =>
        {
            string[] args =
            [
                "-hide_banner", "-nostats", "-loglevel", "error",
                "-f", "rawvideo", "-pix_fmt", "rgb24", "-video_size", $"{video.Width}x{video.Height}",
                "-framerate", FrameRate.Format(video.Fps), "-i", "pipe:0",
                "-an", "-c:v", "libx264", "-preset", options.Preset, "-crf", options.Crf.ToString(CultureInfo.InvariantCulture),
                "-sws_flags", "accurate_rnd+full_chroma_inp+bicubic", "-pix_fmt", "yuv420p", .. options.FastStart ? new[] { "-movflags", "+faststart" } : [],
                "-f", "mp4", "-y", "file:" + temp,
            ];
            var result = await ToolProcess.RunAsync(FfmpegPath, args, WriteFramesAsync, DrainAsync, cancellationToken).ConfigureAwait(false);
            if (result.ExitCode != 0)
                throw new IOException($"{Path.GetFileName(path)}: ffmpeg could not encode (exit {result.ExitCode}): {LastLine(result.StderrTail, temp)}");
        }).ConfigureAwait(false);

        async Task WriteFramesAsync(Stream stdin, CancellationToken ct)
        {
            for (int t = 0; t < video.FrameCount; t++)
                await stdin.WriteAsync(video.Data.AsMemory(t * video.FrameBytes, video.FrameBytes), ct).ConfigureAwait(false);
        }
    }

    /// <summary>ffprobe's view of the first video stream.</summary>
    public async Task<VideoProbe> ProbeAsync(string path, CancellationToken cancellationToken = default)
    {
        string full = RequireFile(path);
        EnsureAvailable();
        string[] args =
        [
            "-hide_banner", "-v", "error", "-select_streams", "v:0",
            "-show_entries", "stream=width,height,avg_frame_rate,r_frame_rate,nb_frames:format=format_name",
            "-of", "json", "file:" + full,
        ];
        var stdout = new MemoryStream();
        var result = await ToolProcess.RunAsync(FfprobePath, args, null, (s, ct) => s.CopyToAsync(stdout, ct), cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0) throw new VideoFormatException(path, $"not a video: {LastLine(result.StderrTail, full)}");
        return VideoProbe.Parse(System.Text.Encoding.UTF8.GetString(stdout.GetBuffer(), 0, (int)stdout.Length), path);
    }

    /// <summary>
    /// Decodes frames [start, start+count) (to the end when count is null) of the first video stream as RGB24.
    /// Fewer frames than the container declares is a <see cref="VideoFormatException"/>, never a short video.
    /// </summary>
    public async Task<VideoFrames> DecodeAsync(string path, int start = 0, int? count = null, CancellationToken cancellationToken = default)
    {
        string full = RequireFile(path);
        string name = Path.GetFileName(path);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        if (count is <= 0) throw new ArgumentOutOfRangeException(nameof(count), count, "count must be positive");
        EnsureAvailable();

        var probe = await ProbeAsync(path, cancellationToken).ConfigureAwait(false);
        int? expected = count;
        if (probe.DeclaredFrameCount is int declared)
        {
            if (start >= declared) throw new ArgumentOutOfRangeException(nameof(start), start, $"{name} has {declared} frames; start is past the end");
            if (start + (long)(count ?? 0) > declared)
                throw new ArgumentOutOfRangeException(nameof(count), count, $"{name} has {declared} frames; [{start}, {start + count}) runs past the end");
            expected = count ?? declared - start;
        }

        var args = new List<string>
        {
            "-hide_banner", "-nostats", "-loglevel", "error", "-nostdin",
            // Keep stored orientation and size: rotation metadata would otherwise swap width and height.
            "-noautorotate", "-i", "file:" + full,
            "-map", "0:v:0", "-an", "-sn", "-dn",
        };
        if (start > 0 || count is not null)
            args.AddRange(["-vf", count is int c ? $"trim=start_frame={start}:end_frame={start + c}" : $"trim=start_frame={start}"]);
        if (count is int n) args.AddRange(["-frames:v", n.ToString(CultureInfo.InvariantCulture)]);
        // swscale's default yuv420p→rgb24 path repeats each chroma sample; interpolating it is worth about 4 dB PSNR.
        args.AddRange(["-sws_flags", "accurate_rnd+full_chroma_int+bicubic"]);
        // One output frame per decoded frame: no duplication or dropping to a constant rate.
        args.AddRange(["-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]);

        int frameBytes = probe.Width * probe.Height * 3;
        long capacity = expected is int e ? (long)e * frameBytes : frameBytes;
        if (capacity > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"{name}: {expected} frames of {probe.Width}x{probe.Height} do not fit in one buffer; decode a smaller range");
        var stdout = new MemoryStream((int)capacity);
        var result = await ToolProcess.RunAsync(FfmpegPath, args, null, (s, ct) => s.CopyToAsync(stdout, ct), cancellationToken).ConfigureAwait(false);

        long bytes = stdout.Length;
        int frames = (int)(bytes / frameBytes);
        string why = LastLine(result.StderrTail, full);
        if (frames == 0)
            throw new VideoFormatException(path, result.ExitCode != 0 ? $"not a video: {why}" : "not a video: no frame could be decoded");
        if (bytes % frameBytes != 0)
            throw new VideoFormatException(path, $"corrupt: the decoder wrote {bytes} bytes, not whole {probe.Width}x{probe.Height} frames ({why})");
        if (expected is int want && frames < want)
            throw new VideoFormatException(path, start == 0 && count is null
                ? $"truncated: the container declares {want} frames, {frames} could be decoded"
                : $"truncated: frames [{start}, {start + want}) were requested, {frames} could be decoded");
        if (result.ExitCode != 0)
            throw new VideoFormatException(path, $"corrupt: ffmpeg failed after {frames} frames (exit {result.ExitCode}): {why}");

        byte[] data = stdout.Capacity == bytes ? stdout.GetBuffer() : stdout.ToArray();
        return new VideoFrames(probe.Width, probe.Height, frames, probe.Fps, data);
    }

    private void EnsureAvailable()
    {
        if (UnavailableReason is { } reason) throw new FfmpegUnavailableException(reason);
    }

    private static string RequireFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new FileNotFoundException($"{path}: no such video file", path);
        return full;
    }

    private static string Resolve(string name)
    {
        if (name.Contains(Path.DirectorySeparatorChar) || name.Contains(Path.AltDirectorySeparatorChar)) return Path.GetFullPath(name);
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return name;
    }

    /// <summary>
    /// ffmpeg's last non-blank stderr line without its "[demuxer @ 0x…]" or "file:/abs/path:" prefix. When that line is
    /// the generic "Invalid data found…", the line before it (e.g. "moov atom not found") is the actual reason and leads.
    /// </summary>
    private static string LastLine(IReadOnlyList<string> stderr, string fullPath)
    {
        var lines = stderr.Select(l => Clean(l, fullPath)).Where(l => l.Length > 0).ToList();
        if (lines.Count == 0) return "ffmpeg gave no reason";
        string last = lines[^1];
        if (last.StartsWith("Invalid data found", StringComparison.Ordinal) && lines.Count > 1 && lines[^2] != last)
            return $"{lines[^2]} ({last})";
        return last;
    }

    private static string Clean(string line, string fullPath)
    {
        line = ContextPrefix().Replace(line.Trim(), "");
        foreach (var prefix in new[] { "file:" + fullPath + ": ", fullPath + ": " })
            if (line.StartsWith(prefix, StringComparison.Ordinal)) return line[prefix.Length..];
        return line.Replace("file:" + fullPath, Path.GetFileName(fullPath));
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^(\[[^\]]* @ 0x[0-9a-f]+\] *)+")]
    private static partial System.Text.RegularExpressions.Regex ContextPrefix();

    private static Task DrainAsync(Stream stdout, CancellationToken ct) => stdout.CopyToAsync(Stream.Null, ct);
}
