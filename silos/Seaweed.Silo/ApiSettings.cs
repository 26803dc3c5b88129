using Microsoft.Extensions.Configuration;
using Seaweed.Model;

namespace Seaweed.Silo;

/// <summary>
/// <c>Seaweed:Api</c>: the keys the HTTP API accepts and the limits it holds requests to. Limits that the model
/// sets (the size grid) come from the model itself.
/// </summary>
public sealed record ApiSettings
{
    public const string Section = "Seaweed:Api";

    /// <summary>Minimum key length: a short key is guessable.</summary>
    public const int MinKeyLength = 16;

    /// <summary>Accepted keys, sent as <c>X-Api-Key</c> or <c>Authorization: Bearer</c>.</summary>
    public string[] Keys { get; init; } = [];

    public int MaxPromptLength { get; init; } = 2000;
    public int MaxSteps { get; init; } = 100;
    public int MaxFrames { get; init; } = 257;

    /// <summary>Largest width or height, in pixels.</summary>
    public int MaxSide { get; init; } = 1024;

    public int MaxShots { get; init; } = 32;
    public int MaxImageBytes { get; init; } = 16 << 20;

    /// <summary>What a 429 (queue full) tells the client to wait before trying again.</summary>
    public int RetryAfterSeconds { get; init; } = 10;

    /// <summary>Directory of the default model (its <c>config.json</c> sets the size grid requests are checked against).</summary>
    public string Model { get; init; } = Path.Combine("models", "seaweed-tiny");

    public static ApiSettings Load(IConfiguration configuration) => ConfigSection.Bind<ApiSettings>(configuration, Section).Validate();

    public ApiSettings Validate()
    {
        if (Keys.Length == 0)
            throw Error(nameof(Keys), $"no API key is configured; set at least one of {MinKeyLength}+ characters (environment: Seaweed__Api__Keys__0=...)");
        for (int i = 0; i < Keys.Length; i++)
            if (Keys[i] is not { Length: >= MinKeyLength } || Keys[i].Any(char.IsWhiteSpace))
                throw Error($"{nameof(Keys)}:{i}", $"a key must be at least {MinKeyLength} characters without whitespace");
        Positive(nameof(MaxPromptLength), MaxPromptLength);
        Positive(nameof(MaxSteps), MaxSteps);
        Positive(nameof(MaxFrames), MaxFrames);
        Positive(nameof(MaxSide), MaxSide);
        Positive(nameof(MaxShots), MaxShots);
        Positive(nameof(MaxImageBytes), MaxImageBytes);
        Positive(nameof(RetryAfterSeconds), RetryAfterSeconds);
        if (string.IsNullOrWhiteSpace(Model)) throw Error(nameof(Model), "must name the default model's directory");
        return this;
    }

    private static void Positive(string field, int value)
    {
        if (value <= 0) throw Error(field, $"{value} must be positive");
    }

    private static ConfigException Error(string field, string reason) => new($"{Section}:{field}", reason);
}
