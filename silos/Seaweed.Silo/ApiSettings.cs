using Microsoft.Extensions.Configuration;
using Seaweed.Model;

namespace Seaweed.Silo;

/// <summary>
/// <c>Seaweed:Api</c>: the keys the HTTP API accepts and the limits of the API itself. What one video may ask for
/// (prompt length, steps, frames, size) is <c>Seaweed:Generation:Limits</c>, which the generation grains hold to
/// as well; the size grid comes from the model.
/// </summary>
public sealed record ApiSettings
{
    public const string Section = "Seaweed:Api";

    /// <summary>Minimum key length: a short key is guessable.</summary>
    public const int MinKeyLength = 16;

    /// <summary>Accepted keys, sent as <c>X-Api-Key</c> or <c>Authorization: Bearer</c>.</summary>
    public string[] Keys { get; init; } = [];

    public int MaxShots { get; init; } = 32;
    public int MaxImageBytes { get; init; } = 16 << 20;

    /// <summary>What a 429 (queue full) tells the client to wait before trying again.</summary>
    public int RetryAfterSeconds { get; init; } = 10;

    public static ApiSettings Load(IConfiguration configuration) => ConfigSection.Bind<ApiSettings>(configuration, Section).Validate();

    public ApiSettings Validate()
    {
        if (Keys.Length == 0)
            throw Error(nameof(Keys), $"no API key is configured; set at least one of {MinKeyLength}+ characters (environment: Seaweed__Api__Keys__0=...)");
        for (int i = 0; i < Keys.Length; i++)
            if (Keys[i] is not { Length: >= MinKeyLength } || Keys[i].Any(char.IsWhiteSpace))
                throw Error($"{nameof(Keys)}:{i}", $"a key must be at least {MinKeyLength} characters without whitespace");
        Positive(nameof(MaxShots), MaxShots);
        Positive(nameof(MaxImageBytes), MaxImageBytes);
        Positive(nameof(RetryAfterSeconds), RetryAfterSeconds);
        return this;
    }

    private static void Positive(string field, int value)
    {
        if (value <= 0) throw Error(field, $"{value} must be positive");
    }

    private static ConfigException Error(string field, string reason) => new($"{Section}:{field}", reason);
}
