using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Seaweed.Silo.Api;

/// <summary>
/// The API's JSON: camelCase, enums as camelCase strings, numbers also from strings, NaN and Infinity as named
/// literals (so a NaN guidance reaches validation and is named there). Request bodies are strict: an unknown field
/// (a typo like "step") is an error, not a silently ignored setting.
/// </summary>
internal sealed class ApiJson(IOptions<JsonOptions> http)
{
    public JsonSerializerOptions Requests { get; } = new(http.Value.SerializerOptions) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    public static void Configure(JsonOptions options)
    {
        options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.SerializerOptions.NumberHandling |= JsonNumberHandling.AllowNamedFloatingPointLiterals;
    }
}
