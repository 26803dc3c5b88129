using System.Text.Json;

namespace Seaweed.Grains.Storage;

/// <summary>The on-disk form of one grain state: its etag and the serializer's JSON, embedded as is.</summary>
internal sealed record StateRecord(string ETag, BinaryData State)
{
    private const string ETagProperty = "etag";
    private const string StateProperty = "state";

    /// <summary>The record at <paramref name="path"/>, or null when there is none.</summary>
    public static async Task<StateRecord?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            var etag = root.GetProperty(ETagProperty).GetString() ?? throw new JsonException($"'{ETagProperty}' is null");
            return new StateRecord(etag, BinaryData.FromString(root.GetProperty(StateProperty).GetRawText()));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"Grain state file {path} is not a {{\"{ETagProperty}\", \"{StateProperty}\"}} record: {e.Message}", e);
        }
    }

    /// <summary>Writes a temp file beside <paramref name="path"/>, flushes it to disk and renames it over the record.</summary>
    public static async Task WriteAsync(string path, StateRecord record, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}~{Guid.NewGuid():N}.tmp";
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true))
            {
                await using (var writer = new Utf8JsonWriter(file))
                {
                    writer.WriteStartObject();
                    writer.WriteString(ETagProperty, record.ETag);
                    writer.WritePropertyName(StateProperty);
                    WriteState(writer, record.State, path);
                    writer.WriteEndObject();
                }
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static void WriteState(Utf8JsonWriter writer, BinaryData state, string path)
    {
        try
        {
            writer.WriteRawValue(state.ToMemory().Span);
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw new InvalidOperationException(
                $"Grain state for {path} did not serialize to JSON; file grain storage needs a JSON IGrainStorageSerializer", e);
        }
    }
}
