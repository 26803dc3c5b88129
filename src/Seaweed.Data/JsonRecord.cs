using System.Text.Json;

namespace Seaweed.Data;

/// <summary>Reads one stored JSON record; anything that is not one is an <see cref="InvalidDataException"/> naming its source.</summary>
internal static class JsonRecord
{
    public static T Read<T>(byte[] bytes, JsonSerializerOptions options, string source, string what) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(bytes, options) ?? throw new InvalidDataException($"{source}: empty {what}");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not a {what} ({e.Message})", e);
        }
    }
}
