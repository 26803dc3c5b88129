namespace Seaweed.Data.Video;

/// <summary>A file that is not a readable video or image: corrupt, truncated, or of an unsupported kind.</summary>
public sealed class VideoFormatException : IOException
{
    public VideoFormatException(string path, string reason, Exception? inner = null)
        : base($"{Path.GetFileName(path)}: {reason}", inner)
    {
        FilePath = path;
        Reason = reason;
    }

    /// <summary>The file as the caller named it.</summary>
    public string FilePath { get; }

    /// <summary>Why it could not be read, without the file name.</summary>
    public string Reason { get; }
}
