using System.Text.Json;

namespace Seaweed.Data.Video;

/// <summary>What ffprobe reports about a file's first video stream.</summary>
/// <param name="DeclaredFrameCount">The frame count the container declares (MP4 does, GIF and Matroska usually do not).</param>
/// <param name="Container">ffmpeg's demuxer name(s), e.g. "mov,mp4,m4a,3gp,3g2,mj2".</param>
public sealed record VideoProbe(int Width, int Height, int FpsNumerator, int FpsDenominator, int? DeclaredFrameCount, string Container)
{
    public double Fps => (double)FpsNumerator / FpsDenominator;

    /// <summary>Reads ffprobe's <c>-of json</c> output for <c>-show_entries stream=…:format=format_name</c>.</summary>
    internal static VideoProbe Parse(string json, string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            string container = root.TryGetProperty("format", out var f) && f.TryGetProperty("format_name", out var fn) ? fn.GetString() ?? "?" : "?";
            if (!root.TryGetProperty("streams", out var streams) || streams.GetArrayLength() == 0)
                throw new VideoFormatException(path, $"not a video: no video stream (ffmpeg reads it as '{container}')");
            var s = streams[0];
            int width = Int(s, "width") ?? 0, height = Int(s, "height") ?? 0;
            if (width <= 0 || height <= 0) throw new VideoFormatException(path, $"not a video: the video stream has no frame size ({width}x{height})");
            var rate = FrameRate.Parse(Str(s, "avg_frame_rate")) ?? FrameRate.Parse(Str(s, "r_frame_rate"))
                ?? throw new VideoFormatException(path, "not a video: the video stream has no frame rate");
            int? frames = Int(s, "nb_frames") is int n && n > 0 ? n : null;
            return new VideoProbe(width, height, rate.Num, rate.Den, frames, container);
        }
        catch (JsonException e)
        {
            throw new VideoFormatException(path, $"ffprobe's report could not be parsed ({e.Message})", e);
        }
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText() : null;

    // ffprobe writes some counts as strings ("nb_frames": "40") and others as numbers.
    private static int? Int(JsonElement e, string name) => int.TryParse(Str(e, name), out int v) ? v : null;
}
