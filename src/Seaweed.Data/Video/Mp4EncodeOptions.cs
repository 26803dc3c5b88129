namespace Seaweed.Data.Video;

/// <summary>H.264 settings for <see cref="Ffmpeg.EncodeAsync"/>.</summary>
/// <param name="Crf">libx264 constant rate factor, 0 (lossless) .. 51; 18 is visually near-lossless.</param>
/// <param name="Preset">libx264 speed/size preset, ultrafast .. placebo.</param>
/// <param name="FastStart">Move the index (moov) to the front so playback and partial reads can start before the end.</param>
public sealed record Mp4EncodeOptions(int Crf = 18, string Preset = "medium", bool FastStart = true)
{
    public static Mp4EncodeOptions Default { get; } = new();

    internal static readonly string[] Presets =
        ["ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow", "placebo"];

    internal void Validate()
    {
        if (Crf is < 0 or > 51) throw new ArgumentOutOfRangeException(nameof(Crf), Crf, "Crf must be 0..51");
        if (!Presets.Contains(Preset)) throw new ArgumentException($"Preset '{Preset}' is not one of {string.Join(", ", Presets)}", nameof(Preset));
    }
}
