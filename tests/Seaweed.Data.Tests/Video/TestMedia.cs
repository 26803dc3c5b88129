using System.Diagnostics;
using Seaweed.Data.Video;

namespace Seaweed.Data.Tests.Video;

/// <summary>Deterministic test videos, PSNR, temporary directories and direct ffmpeg calls.</summary>
internal static class TestMedia
{
    /// <summary>ffmpeg for tests that need it: a missing install fails loudly instead of skipping.</summary>
    public static Ffmpeg RequireFfmpeg()
    {
        var ffmpeg = Ffmpeg.Locate();
        Assert.True(ffmpeg.IsAvailable, $"this test needs ffmpeg: {ffmpeg.UnavailableReason}. Run deploy/bootstrap.sh.");
        return ffmpeg;
    }

    /// <summary>Low-frequency colour waves drifting across the frame: smooth enough for H.264 and yuv420p to keep fidelity.</summary>
    public static VideoFrames MovingPattern(int width, int height, int frames, double fps, int seed = 7)
    {
        var rng = new Random(seed);
        var phase = new double[3];
        var dir = new (double X, double Y)[3];
        for (int c = 0; c < 3; c++)
        {
            phase[c] = rng.NextDouble() * 2 * Math.PI;
            dir[c] = (0.5 + rng.NextDouble(), 0.5 + rng.NextDouble());
        }
        var video = new VideoFrames(width, height, frames, fps);
        for (int t = 0; t < frames; t++)
        {
            var f = video.Frame(t);
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                    for (int c = 0; c < 3; c++)
                    {
                        double u = 2 * Math.PI * (dir[c].X * x / width + dir[c].Y * y / height) + phase[c] + 0.15 * t;
                        f[(y * width + x) * 3 + c] = (byte)Math.Round(128 + 90 * Math.Sin(u));
                    }
        }
        return video;
    }

    public static VideoFrames Noise(int width, int height, int frames, double fps = 24, int seed = 1)
    {
        var video = new VideoFrames(width, height, frames, fps);
        new Random(seed).NextBytes(video.Data);
        return video;
    }

    public static double Psnr(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        Assert.Equal(a.Length, b.Length);
        double se = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = a[i] - b[i];
            se += d * d;
        }
        double mse = se / a.Length;
        return mse == 0 ? double.PositiveInfinity : 10 * Math.Log10(255.0 * 255.0 / mse);
    }

    public static double MeanAbsError(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        Assert.Equal(a.Length, b.Length);
        long sum = 0;
        for (int i = 0; i < a.Length; i++) sum += Math.Abs(a[i] - b[i]);
        return (double)sum / a.Length;
    }

    /// <summary>Runs ffmpeg directly and returns its stdout; fails the test with stderr on a non-zero exit.</summary>
    public static byte[] RunFfmpeg(Ffmpeg ffmpeg, params string[] args)
    {
        var psi = new ProcessStartInfo(ffmpeg.FfmpegPath) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-hide_banner", "-loglevel", "error", "-nostdin" }.Concat(args)) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        using var ms = new MemoryStream();
        p.StandardOutput.BaseStream.CopyTo(ms);
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"ffmpeg {string.Join(' ', args)} failed: {stderr.Result}");
        return ms.ToArray();
    }
}

/// <summary>A fresh directory under the system temp folder, deleted on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "seaweed-video-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Names left in the directory (e.g. to prove no temporary files remain).</summary>
    public string[] Entries() => Names(Directory.EnumerateFileSystemEntries(Path));

    public static string[] FileNames(string directory) => Names(Directory.EnumerateFiles(directory));

    private static string[] Names(IEnumerable<string> paths) => paths.Select(p => System.IO.Path.GetFileName(p)).Order().ToArray();

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
