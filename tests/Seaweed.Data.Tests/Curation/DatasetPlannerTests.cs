using Seaweed.Data.Curation;
using Seaweed.Data.World;

namespace Seaweed.Data.Tests.Curation;

public sealed class DatasetPlannerTests
{
    private static readonly CurationOptions Options = new() { Seed = 3, PackCapacity = 600 };

    /// <summary>Six different clips, an exact copy of the second, and a spoiled one.</summary>
    private static IReadOnlyList<ClipRecord> Records()
    {
        var curator = new ClipCurator(Options);
        var world = new WorldGenerator(new WorldOptions { Seed = 12, Sizes = [(128, 96)], FrameCounts = [17], StillFraction = 0 });
        var records = Enumerable.Range(0, 6).Select(i => curator.Curate($"v{i}-c000", $"v{i}", 0, world.Clip(i).Render()).Record).ToList();
        records.Add(curator.Curate("v9-c000", "v9", 0, world.Clip(1).Render()).Record);
        records.Add(curator.Curate("v7-c000", "v7", 0, Footage.Defects.Scale(world.Clip(7).Render(), 0.1)).Record);
        return records;
    }

    [Fact]
    public void Removes_near_duplicates_keeps_the_smallest_id_and_packs_the_rest()
    {
        var records = Records();
        Assert.All(records.Take(7), r => Assert.Equal(ClipVerdict.Candidate, r.Verdict));
        var plan = DatasetPlanner.Plan(records, Options);
        Assert.Equal(["v9-c000"], plan.Duplicates);
        Assert.Contains(plan.DuplicateClusters, c => c.Representative == "v1-c000" && c.Members.Contains("v9-c000"));
        Assert.Equal(6, plan.Samples.Count);
        Assert.DoesNotContain(plan.Samples, s => s.ClipId is "v9-c000" or "v7-c000");
        Assert.Equal(plan.Samples.Select(s => s.ClipId).Order(), plan.PackOf.Keys.Order());
        Assert.All(plan.Packing.Packs, p => Assert.True(p.Tokens <= Options.PackCapacity));
    }

    [Fact]
    public void The_plan_depends_on_the_set_of_records_not_their_order()
    {
        var records = Records();
        var a = DatasetPlanner.Plan(records, Options);
        var b = DatasetPlanner.Plan(records.Reverse().ToArray(), Options);
        Assert.Equal(a.Samples.Select(s => s.ClipId), b.Samples.Select(s => s.ClipId));
        Assert.Equal(a.PackOf.OrderBy(p => p.Key), b.PackOf.OrderBy(p => p.Key));
        Assert.Equal(a.Duplicates, b.Duplicates);
    }

    [Fact]
    public void A_head_cluster_is_capped()
    {
        var curator = new ClipCurator(Options);
        var world = new WorldGenerator(new WorldOptions { Seed = 12, Sizes = [(128, 96)], FrameCounts = [17], StillFraction = 0 });
        var records = Enumerable.Range(0, 13).Select(i => curator.Curate($"u{i:D2}", $"u{i:D2}", 0, world.Clip(i).Render()).Record).ToArray();
        var unique = records[..3];
        // Ten different clips that all read as the first one's content, as a dominant concept would.
        var head = records[3..].Select(r => r with { Content = unique[0].Content }).ToArray();
        var plan = DatasetPlanner.Plan([.. unique, .. head], Options);
        Assert.Empty(plan.Duplicates);
        Assert.Equal(3, plan.Balance.Cap);
        Assert.Equal(3, plan.Samples.Count(s => s.ContentLabel == unique[0].ContentLabel));
    }

    [Fact]
    public void A_candidate_without_its_signature_is_refused()
    {
        var records = Records().ToList();
        records[0] = records[0] with { Signature = null };
        Assert.Equal("records", Assert.Throws<ArgumentException>(() => DatasetPlanner.Plan(records, Options)).ParamName);
    }
}
