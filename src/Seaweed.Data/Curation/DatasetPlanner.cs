namespace Seaweed.Data.Curation;

/// <summary>Which candidates become samples, and why the others do not.</summary>
public sealed record DatasetPlan(
    IReadOnlyList<ClipRecord> Samples,
    IReadOnlyList<DuplicateCluster> DuplicateClusters,
    IReadOnlyList<string> Duplicates,
    BalanceReport Balance,
    Packing Packing)
{
    /// <summary>The pack each sample went to.</summary>
    public IReadOnlyDictionary<string, int> PackOf { get; } = Packing.Packs
        .SelectMany((p, i) => p.Items.Select(item => (item.Id, i)))
        .ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
}

/// <summary>
/// The global stage, run once every clip has its record: near-duplicate clustering over all candidates (each
/// cluster keeps its representative), cluster-balanced sampling by content label, and packing into sequences.
/// The result depends only on the set of records, never on the order they arrived in.
/// </summary>
public static class DatasetPlanner
{
    public static DatasetPlan Plan(IReadOnlyList<ClipRecord> records, CurationOptions options)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var candidates = records.Where(r => r.Verdict == ClipVerdict.Candidate).OrderBy(r => r.ClipId, StringComparer.Ordinal).ToArray();
        foreach (var c in candidates)
            if (c.Signature is null || c.Bucket is null || c.Content is null || c.Caption is null)
                throw new ArgumentException($"candidate '{c.ClipId}' lacks its signature, bucket, content or caption", nameof(records));

        var clusters = DuplicateClustering.Cluster(candidates.Select(c => (c.ClipId, ClipSignature.FromBytes(c.Signature))).ToArray(), options.DuplicateThreshold);
        var duplicates = clusters.SelectMany(c => c.Removed).ToHashSet(StringComparer.Ordinal);
        var unique = candidates.Where(c => !duplicates.Contains(c.ClipId)).ToArray();
        var balanced = BalancedSampler.Sample(unique, c => c.ContentLabel, c => c.ClipId, options.BalanceCapFactor, options.Seed);
        var packing = SequencePacker.Pack(balanced.Kept.Select(c => new PackItem(c.ClipId, c.Tokens)).ToArray(), options.PackCapacity);
        return new DatasetPlan(balanced.Kept, clusters, duplicates.Order(StringComparer.Ordinal).ToArray(), balanced.Report, packing);
    }
}
