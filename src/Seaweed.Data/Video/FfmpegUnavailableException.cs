namespace Seaweed.Data.Video;

/// <summary>An operation needs ffmpeg (or ffprobe) and it was not found or could not be started.</summary>
public sealed class FfmpegUnavailableException : InvalidOperationException
{
    public FfmpegUnavailableException(string message, Exception? inner = null) : base(message, inner) { }
}
