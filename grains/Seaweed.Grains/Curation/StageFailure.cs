using Seaweed.Data.Store;
using Seaweed.Data.Video;

namespace Seaweed.Grains.Curation;

/// <summary>Which stage failures are worth a retry: a broken or missing input stays broken, anything else may pass.</summary>
internal static class StageFailure
{
    public static bool IsRetryable(Exception e) => e is not (VideoFormatException or FfmpegUnavailableException or InvalidDataException or ArtefactNotFoundException);

    public static string Describe(Exception e) => e.Message.ReplaceLineEndings(" ");
}
