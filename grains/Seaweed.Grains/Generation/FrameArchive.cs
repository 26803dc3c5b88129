using System.IO.Compression;
using System.Text.Json;
using Seaweed.Data;
using Seaweed.Data.Video;

namespace Seaweed.Grains.Generation;

/// <summary>
/// A video's frames as one lossless artefact: a zip of numbered PNGs (<c>frame_00000.png</c> …) and <c>video.json</c>
/// with the fps, the layout of a PNG frame directory. Entry times are fixed, so the same frames give the same bytes.
/// </summary>
public static class FrameArchive
{
    public const string Extension = ".zip";
    private const string MetadataEntry = "video.json";
    private static readonly DateTimeOffset Epoch = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private sealed record Metadata(double Fps, int FrameCount, int Width, int Height);

    public static byte[] Encode(VideoFrames video)
    {
        ArgumentNullException.ThrowIfNull(video);
        var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            for (int t = 0; t < video.FrameCount; t++)
            {
                // PNG is compressed already.
                var entry = zip.CreateEntry(FrameName(t), CompressionLevel.NoCompression);
                entry.LastWriteTime = Epoch;
                using var stream = entry.Open();
                PngEncoder.Write(video, t, stream);
            }
            var meta = zip.CreateEntry(MetadataEntry, CompressionLevel.Optimal);
            meta.LastWriteTime = Epoch;
            using var metaStream = meta.Open();
            JsonSerializer.Serialize(metaStream, new Metadata(video.Fps, video.FrameCount, video.Width, video.Height));
        }
        return output.ToArray();
    }

    /// <summary>Not an archive of this layout → <see cref="VideoFormatException"/> naming <paramref name="name"/>.</summary>
    public static VideoFrames Decode(byte[] bytes, string name)
    {
        try
        {
            using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
            var metaEntry = zip.GetEntry(MetadataEntry) ?? throw new VideoFormatException(name, $"no {MetadataEntry} in the frame archive");
            Metadata meta;
            using (var s = metaEntry.Open())
                meta = JsonSerializer.Deserialize<Metadata>(s) ?? throw new VideoFormatException(name, $"{MetadataEntry} is empty");
            var video = new VideoFrames(meta.Width, meta.Height, meta.FrameCount, meta.Fps);
            for (int t = 0; t < meta.FrameCount; t++)
            {
                var entry = zip.GetEntry(FrameName(t)) ?? throw new VideoFormatException(name, $"frame {FrameName(t)} is missing");
                using var s = entry.Open();
                var buffer = new MemoryStream();
                s.CopyTo(buffer);
                var frame = PngDecoder.Decode(buffer.ToArray(), $"{name}/{FrameName(t)}", meta.Fps);
                if ((frame.Width, frame.Height) != (meta.Width, meta.Height))
                    throw new VideoFormatException(name, $"frame {t} is {frame.Width}x{frame.Height}, the archive says {meta.Width}x{meta.Height}");
                frame.ReadFrame(0).CopyTo(video.Frame(t));
            }
            return video;
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or ArgumentException)
        {
            throw new VideoFormatException(name, $"not a frame archive: {e.Message}", e);
        }
    }

    private static string FrameName(int t) => $"frame_{t:D5}.png";
}
