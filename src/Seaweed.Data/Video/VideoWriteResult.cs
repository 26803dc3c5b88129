namespace Seaweed.Data.Video;

/// <summary>Where <see cref="VideoIO.WriteAsync"/> actually wrote, and why that differs from the request if it does.</summary>
/// <param name="Path">The full path written (a file, or a directory of frames).</param>
/// <param name="Notice">A sentence for the user when a fallback was taken (e.g. GIF instead of MP4); null otherwise.</param>
public sealed record VideoWriteResult(string Path, string? Notice = null)
{
    public bool UsedFallback => Notice is not null;
}
