using System.Globalization;

namespace Seaweed.Grains.Devices;

/// <summary>The silo metadata a silo advertises its devices under (static for the silo's life).</summary>
public static class DeviceMetadata
{
    public const string Count = "seaweed.devices";
    public const string Kind = "seaweed.device-kind";

    public static Dictionary<string, string> For(DeviceKind kind, int count) => new()
    {
        [Count] = count.ToString(CultureInfo.InvariantCulture),
        [Kind] = kind.ToString().ToLowerInvariant(),
    };

    /// <summary>The devices a silo advertises; 0 for a silo that advertises none (or whose metadata is not known yet).</summary>
    public static int CountOf(IReadOnlyDictionary<string, string> metadata) =>
        metadata.TryGetValue(Count, out var value) && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : 0;
}
