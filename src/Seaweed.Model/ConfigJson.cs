using System.Text.Json;

namespace Seaweed.Model;

/// <summary>Strict JSON configuration: anything that does not bind is a <see cref="ConfigException"/> naming the key path.</summary>
public static class ConfigJson
{
    public static T Read<T>(string json, JsonSerializerOptions options) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, options) ?? throw new ConfigException("config", "is empty");
        }
        catch (JsonException e)
        {
            throw new ConfigException(string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "config" : e.Path.TrimStart('$', '.'), e.Message);
        }
    }
}
