using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Seaweed.Data;
using Seaweed.Data.Video;

namespace Seaweed.Silo.Api;

/// <summary>
/// Reads request bodies into <see cref="VideoBody"/> / <see cref="StoryBody"/>, naming the field that does not parse
/// (a word where a number goes, an unknown field, an image that is not a PNG) instead of failing the request whole.
/// </summary>
internal static class BodyReader
{
    public const string ImageField = "image";
    private const string BodyField = "body";

    private static readonly string[] VideoFields =
        ["prompt", "frames", "size", "width", "height", "steps", "guidance", "seed", ImageField, "jobId"];

    /// <summary>A video request as JSON (the image as base64) or as multipart form fields (the image as a file part
    /// or base64 field), with the decoded image. An image wider or taller than <paramref name="maxSide"/> is refused from
    /// its header, before decoding allocates for it.</summary>
    public static async Task<(VideoBody? Body, VideoFrames? Image, byte[]? Png)> Video(HttpRequest request, JsonSerializerOptions json, ApiSettings limits, int maxSide,
        FieldErrors errors)
    {
        VideoBody? body;
        byte[]? png = null;
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
            body = FromForm(form, errors);
            if (form.Files.GetFile(ImageField) is { } file)
            {
                if (file.Length > limits.MaxImageBytes) errors.Add(ImageField, $"{file.Length} bytes; at most {limits.MaxImageBytes}");
                else
                {
                    using var buffer = new MemoryStream();
                    await file.CopyToAsync(buffer, request.HttpContext.RequestAborted);
                    png = buffer.ToArray();
                }
            }
            foreach (var other in form.Files.Where(f => f.Name != ImageField)) errors.Add(other.Name, "is not a file field of this request");
        }
        else body = await Json<VideoBody>(request, json, errors);

        if (png is null && body?.Image is { } base64) png = FromBase64(base64, limits, errors);
        var image = png is null ? null : Decode(png, maxSide, errors);
        return (body, image, image is null ? null : png);
    }

    public static Task<StoryBody?> Story(HttpRequest request, JsonSerializerOptions json, FieldErrors errors) => Json<StoryBody>(request, json, errors);

    private static async Task<T?> Json<T>(HttpRequest request, JsonSerializerOptions options, FieldErrors errors) where T : class
    {
        if (!request.HasJsonContentType())
        {
            errors.Add(BodyField, "send JSON (Content-Type: application/json)");
            return null;
        }
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, options, request.HttpContext.RequestAborted);
            if (value is null) errors.Add(BodyField, "must be a JSON object");
            return value;
        }
        catch (JsonException e)
        {
            errors.Add(Field(e.Path), Reason(e.Message));
            return null;
        }
    }

    /// <summary>"$.shots[0].frames" → "shots[0].frames"; the document itself is "body".</summary>
    private static string Field(string? path) => path is { Length: > 2 } && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : BodyField;

    /// <summary>The serializer's message without its "Path: … | LineNumber: …" tail, which the field already says.</summary>
    private static string Reason(string message)
    {
        int tail = message.IndexOf(" Path: ", StringComparison.Ordinal);
        return tail < 0 ? message : message[..tail];
    }

    private static VideoBody FromForm(IFormCollection form, FieldErrors errors)
    {
        foreach (var key in form.Keys.Where(k => !VideoFields.Contains(k, StringComparer.Ordinal))) errors.Add(key, "is not a field of this request");
        string? Text(string name) => form.TryGetValue(name, out var value) ? value.ToString() : null;
        T? Number<T>(string name) where T : struct, IParsable<T>
        {
            if (Text(name) is not { } text) return null;
            if (T.TryParse(text, CultureInfo.InvariantCulture, out var value)) return value;
            errors.Add(name, $"'{text}' is not a number");
            return null;
        }
        return new VideoBody(
            Text("prompt"), Number<int>("frames"), Text("size"), Number<int>("width"), Number<int>("height"), Number<int>("steps"),
            Number<double>("guidance"), Number<long>("seed"), Text(ImageField), Text("jobId"));
    }

    private static byte[]? FromBase64(string base64, ApiSettings limits, FieldErrors errors)
    {
        if (base64.Length / 4L * 3 > limits.MaxImageBytes)
        {
            errors.Add(ImageField, $"more than {limits.MaxImageBytes} bytes");
            return null;
        }
        try
        {
            return Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            errors.Add(ImageField, "is not base64");
            return null;
        }
    }

    private static VideoFrames? Decode(byte[] png, int maxSide, FieldErrors errors)
    {
        try
        {
            var (width, height) = PngDecoder.ReadSize(png, ImageField);
            if (width > maxSide || height > maxSide)
            {
                errors.Add(ImageField, $"is {width}x{height}; a video side is at most {maxSide}");
                return null;
            }
            return PngDecoder.Decode(png, ImageField);
        }
        catch (Exception e) when (e is VideoFormatException or InvalidDataException or ArgumentException)
        {
            errors.Add(ImageField, $"is not a PNG image: {(e is VideoFormatException v ? v.Reason : e.Message)}");
            return null;
        }
    }
}
