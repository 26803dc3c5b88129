using System.Diagnostics;
using Seaweed.Data.Curation;
using Xunit.Abstractions;

namespace Seaweed.Data.Tests.Curation;

/// <summary>Deduplication of real-looking footage: H.264-compressed, letterboxed, trimmed shots.</summary>
public sealed class DuplicateDetectionTests(ITestOutputHelper output)
{
    /// <summary>Chosen from the measured gap on footage: copies score at most ~0.14, look-alikes at least ~0.18.</summary>
    private const double Threshold = 0.16;

    [Fact]
    public void FindsCompressedRescaledAndCroppedDuplicatesButNotLookAlikes()
    {
        var watch = Stopwatch.StartNew();
        // More duplicates than the footage default, so that recall is measured on dozens of pairs, not a handful.
        var clips = FootageClips.Generate(seed: 11, videos: 10, duplicateFraction: 0.4);
        var input = clips.Select(c => (c.Id, c.Signature)).ToArray();
        double generated = watch.Elapsed.TotalSeconds;

        var clusters = DuplicateClustering.Cluster(input, Threshold);
        var exact = DuplicateClustering.ClusterAllPairs(input, Threshold);
        Assert.Equal(Describe(exact), Describe(clusters));

        var removed = clusters.SelectMany(c => c.Removed).ToHashSet();
        var seen = new HashSet<string>();
        var trueDuplicates = new HashSet<string>();
        foreach (var clip in clips.OrderBy(c => c.Id, StringComparer.Ordinal))
            if (!seen.Add(clip.Source)) trueDuplicates.Add(clip.Id);
        int hits = removed.Count(trueDuplicates.Contains);
        double precision = removed.Count == 0 ? 1 : (double)hits / removed.Count;
        double recall = trueDuplicates.Count == 0 ? 1 : (double)hits / trueDuplicates.Count;
        output.WriteLine($"{clips.Count} clips, {trueDuplicates.Count} true duplicates ({string.Join(", ", clips.Where(c => trueDuplicates.Contains(c.Id)).GroupBy(c => c.Variant).Select(g => $"{g.Count()} {g.Key}"))}), {removed.Count} removed");
        output.WriteLine($"threshold {Threshold}: precision {precision:F3}, recall {recall:F3}; footage {generated:F1}s, total {watch.Elapsed.TotalSeconds:F1}s");
        foreach (var id in removed.Except(trueDuplicates)) output.WriteLine($"wrongly removed {id}");
        foreach (var id in trueDuplicates.Except(removed)) output.WriteLine($"missed {id}");

        Assert.True(trueDuplicates.Count >= 20, $"only {trueDuplicates.Count} duplicates to measure on");
        Assert.True(precision >= 0.98, $"precision {precision:F3}");
        Assert.True(recall >= 0.95, $"recall {recall:F3}");
    }

    private static string[] Describe(IReadOnlyList<DuplicateCluster> clusters) =>
        clusters.Select(c => $"{c.Representative}: {string.Join(" ", c.Members)}").ToArray();
}
