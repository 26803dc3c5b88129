using Seaweed.Data.Store;
using Seaweed.Data.Video;

namespace Seaweed.Grains.Curation;

/// <summary>Which stage failures are worth a retry: a broken, missing or unusable input stays so (argument errors are
/// deterministic too); anything else, such as a store that failed to write, may pass next time.</summary>
internal static class StageFailure
{
    public static bool IsRetryable(Exception e) =>
        e is not (VideoFormatException or FfmpegUnavailableException or InvalidDataException or ArtefactNotFoundException or ArgumentException);

    public static string Describe(Exception e) => e.Message.ReplaceLineEndings(" ");
}
