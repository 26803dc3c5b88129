using System.Globalization;
using Seaweed.Data;
using Seaweed.Data.Store;
using Seaweed.Data.Video;

namespace Seaweed.Grains.Generation;

/// <summary>
/// Where a job's results live in the artefact store: each attempt at the job its own <c>videos/{job}/{attempt}/</c>,
/// holding <c>video.mp4</c> (or <c>.gif</c>) and the lossless <c>frames.zip</c>, so that a result never pairs one
/// attempt's frames with another's video; how they are written (each key once, never overwritten); and how a
/// request's given image or video is read back. Readers take the keys from the job's status, never rebuild them.
/// </summary>
public static class GenerationArtefacts
{
    public static string Prefix(string job) => $"videos/{job}/";
    public static string AttemptPrefix(string job, int attempt) => $"{Prefix(job)}{attempt.ToString(CultureInfo.InvariantCulture)}/";
    public static string FramesKey(string job, int attempt) => $"{AttemptPrefix(job, attempt)}frames{FrameArchive.Extension}";
    public static string VideoKey(string job, int attempt, string extension) => $"{AttemptPrefix(job, attempt)}video{extension}";

    /// <summary>A job id is one artefact key segment: letters, digits and <c>-_.</c>, at most 128 characters.</summary>
    public static void CheckJobId(string job) => JobIds.Validate(job, "id");

    /// <summary>
    /// Stores <paramref name="bytes"/> under <paramref name="key"/>, which must be free (<see cref="ArtefactWriteMode.CreateNew"/>):
    /// keys are one attempt's, so a taken key was never this attempt's to keep, and throws <see cref="ArtefactExistsException"/>.
    /// </summary>
    public static Task StoreNewAsync(IArtefactStore store, string key, byte[] bytes, CancellationToken cancellationToken = default) =>
        store.WriteAsync(key, new MemoryStream(bytes), ArtefactWriteMode.CreateNew, cancellationToken);

    /// <summary>
    /// Stores <paramref name="bytes"/> under <paramref name="key"/> unless it is taken, for a result made the same again
    /// from stored inputs (a story's video from its shots' frames): a taken key holds it, stored by an activation that
    /// died before recording it, and is kept.
    /// </summary>
    public static async Task StoreOnceAsync(IArtefactStore store, string key, byte[] bytes, CancellationToken cancellationToken = default)
    {
        try
        {
            await StoreNewAsync(store, key, bytes, cancellationToken);
        }
        catch (ArtefactExistsException)
        {
        }
    }

    /// <summary>
    /// The video as stored: MP4 through ffmpeg, else an animated GIF, with the notice that says so. Returns the
    /// extension, the bytes and the notice (null for MP4).
    /// </summary>
    public static async Task<(string Extension, byte[] Bytes, string? Notice)> EncodeVideoAsync(VideoFrames video, Ffmpeg ffmpeg, CancellationToken cancellationToken = default)
    {
        if (!ffmpeg.IsAvailable)
            return (".gif", await Task.Run(() => GifEncoder.Encode(video), cancellationToken),
                $"MP4 needs ffmpeg, which is unavailable: {ffmpeg.UnavailableReason}; the video is stored as a GIF");
        string temp = Path.Combine(Path.GetTempPath(), $"seaweed-{Guid.NewGuid():N}.mp4");
        try
        {
            await ffmpeg.EncodeAsync(video, temp, cancellationToken: cancellationToken);
            return (".mp4", await File.ReadAllBytesAsync(temp, cancellationToken), null);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>
    /// Reads the artefact <paramref name="key"/> a request gives as <paramref name="field"/> ("image" or "video"). An
    /// image is a PNG or JPEG; a video also a frame archive or anything ffmpeg decodes. Anything else, a missing key,
    /// or a file that does not decode, is a <see cref="GenerationInputException"/> naming the field.
    /// </summary>
    public static async Task<VideoFrames> ReadGivenAsync(IArtefactStore store, string key, string field, Ffmpeg ffmpeg, double fps,
        CancellationToken cancellationToken = default)
    {
        try
        {
            ArtefactKey.Validate(key, field);
        }
        catch (ArgumentException e)
        {
            throw new GenerationInputException(field, e.Message.Replace($" (Parameter '{field}')", ""));
        }
        try
        {
            var bytes = await store.ReadAllBytesAsync(key, cancellationToken);
            var kind = Sniff(bytes);
            if (field == "image" && kind is not (Kind.Png or Kind.Jpeg))
                throw new GenerationInputException(field, $"'{key}' is not an image (PNG or JPEG)");
            return kind switch
            {
                Kind.Png => await Task.Run(() => PngDecoder.Decode(bytes, key, fps), cancellationToken),
                Kind.Archive => await Task.Run(() => FrameArchive.Decode(bytes, key), cancellationToken),
                _ => await DecodeWithFfmpegAsync(bytes, key, ffmpeg, cancellationToken),
            };
        }
        catch (ArtefactNotFoundException)
        {
            throw new GenerationInputException(field, $"no artefact '{key}' in the store");
        }
        catch (Exception e) when (e is VideoFormatException or FfmpegUnavailableException or InvalidDataException)
        {
            throw new GenerationInputException(field, $"'{key}' could not be read: {e.Message}");
        }
    }

    private enum Kind { Png, Jpeg, Archive, Other }

    private static Kind Sniff(byte[] b) => b switch
    {
        [0x89, (byte)'P', (byte)'N', (byte)'G', ..] => Kind.Png,
        [0xFF, 0xD8, 0xFF, ..] => Kind.Jpeg,
        [(byte)'P', (byte)'K', 3, 4, ..] => Kind.Archive,
        _ => Kind.Other,
    };

    private static async Task<VideoFrames> DecodeWithFfmpegAsync(byte[] bytes, string key, Ffmpeg ffmpeg, CancellationToken cancellationToken)
    {
        string temp = Path.Combine(Path.GetTempPath(), $"seaweed-{Guid.NewGuid():N}{Path.GetExtension(key)}");
        try
        {
            await File.WriteAllBytesAsync(temp, bytes, cancellationToken);
            if (!ffmpeg.IsAvailable) throw new FfmpegUnavailableException($"decoding it needs ffmpeg: {ffmpeg.UnavailableReason}");
            return await ffmpeg.DecodeAsync(temp, cancellationToken: cancellationToken);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
