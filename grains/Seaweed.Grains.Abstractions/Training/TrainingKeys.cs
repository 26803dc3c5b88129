using System.Globalization;

namespace Seaweed.Grains.Training;

/// <summary>Grain keys of a run's ranks and groups.</summary>
public static class TrainingKeys
{
    /// <summary>The group every rank of a run belongs to; its rendezvous starts every epoch.</summary>
    public const string World = "world";

    public static string Rank(string runId, int rank) => $"{runId}/{rank.ToString(CultureInfo.InvariantCulture)}";

    public static string Group(string runId, string group) => $"{runId}/{group}";

    /// <summary>The run and the rank of a rank grain's key.</summary>
    public static (string RunId, int Rank) ParseRank(string key)
    {
        int slash = key.LastIndexOf('/');
        if (slash <= 0 || !int.TryParse(key.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int rank))
            throw new ArgumentException($"'{key}' is not a rank key '{{run}}/{{rank}}'", nameof(key));
        return (key[..slash], rank);
    }
}
