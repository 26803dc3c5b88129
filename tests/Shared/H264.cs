using System.Diagnostics;
using System.Globalization;
using Seaweed.Data;

namespace Seaweed.Testing;

/// <summary>Round-trips a video through an H.264 MP4 with the system ffmpeg, as real footage arrives.</summary>
internal static class H264
{
    private const string Ffmpeg = "/usr/bin/ffmpeg";

    public static VideoFrames RoundTrip(VideoFrames video, int crf)
    {
        if (!File.Exists(Ffmpeg)) Assert.Fail($"{Ffmpeg} is missing: run deploy/bootstrap.sh");
        string dir = Directory.CreateTempSubdirectory("seaweed-h264-").FullName;
        try
        {
            string mp4 = Path.Combine(dir, "clip.mp4");
            string fps = video.Fps.ToString(CultureInfo.InvariantCulture);
            Run($"-v error -f rawvideo -pix_fmt rgb24 -s {video.Width}x{video.Height} -r {fps} -i - -c:v libx264 -pix_fmt yuv420p -crf {crf} -y {mp4}",
                video.Data, output: null);
            using var decoded = new MemoryStream();
            Run($"-v error -i {mp4} -f rawvideo -pix_fmt rgb24 -", input: null, decoded);
            var bytes = decoded.ToArray();
            Assert.Equal(video.Data.Length, bytes.Length);
            return new VideoFrames(video.Width, video.Height, video.FrameCount, video.Fps, bytes);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Round-trips many same-sized clips as one video (one encode instead of one per clip) and cuts them apart again.</summary>
    public static IReadOnlyList<VideoFrames> RoundTripAll(IReadOnlyList<VideoFrames> clips, int crf)
    {
        var first = clips[0];
        var joined = new VideoFrames(first.Width, first.Height, clips.Sum(c => c.FrameCount), first.Fps, clips.SelectMany(c => c.Data).ToArray());
        var decoded = RoundTrip(joined, crf);
        var result = new List<VideoFrames>();
        int start = 0;
        foreach (var clip in clips)
        {
            result.Add(decoded.Slice(start, clip.FrameCount));
            start += clip.FrameCount;
        }
        return result;
    }

    private static void Run(string arguments, byte[]? input, Stream? output)
    {
        var start = new ProcessStartInfo(Ffmpeg, arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("ffmpeg did not start");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = output is null ? process.StandardOutput.BaseStream.CopyToAsync(Stream.Null) : process.StandardOutput.BaseStream.CopyToAsync(output);
        if (input is not null) process.StandardInput.BaseStream.Write(input);
        process.StandardInput.Close();
        stdout.Wait();
        process.WaitForExit();
        if (process.ExitCode != 0) Assert.Fail($"ffmpeg {arguments} exited with {process.ExitCode}: {stderr.Result}");
    }
}
