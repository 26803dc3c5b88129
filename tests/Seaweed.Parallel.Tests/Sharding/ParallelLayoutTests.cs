using Seaweed.Model;
using Seaweed.Parallel.Sharding;

namespace Seaweed.Parallel.Tests.Sharding;

public class ParallelLayoutTests
{
    [Theory]
    [InlineData(2, 2, 2)]
    [InlineData(2, 3, 1)]
    [InlineData(1, 1, 3)]
    public void Rank_and_coordinates_follow_the_agreed_formula(int dp, int fsdp, int cp)
    {
        var layout = new ParallelLayout(dp, fsdp, cp);
        var seen = new HashSet<int>();
        for (int d = 0; d < dp; d++)
            for (int f = 0; f < fsdp; f++)
                for (int c = 0; c < cp; c++)
                {
                    int rank = layout.RankOf(d, f, c);
                    Assert.Equal((d * fsdp + f) * cp + c, rank);
                    Assert.Equal((d, f, c), layout.Coordinates(rank));
                    Assert.Equal(d * fsdp + f, layout.DataRank(rank));
                    seen.Add(rank);
                }
        Assert.Equal(Enumerable.Range(0, dp * fsdp * cp), seen.Order());
    }

    [Fact]
    public void Groups_hold_the_ranks_that_share_the_right_coordinates()
    {
        var layout = new ParallelLayout(2, 2, 2);
        for (int rank = 0; rank < layout.WorldSize; rank++)
        {
            var (d, f, c) = layout.Coordinates(rank);
            var g = layout.GroupsOf(rank);
            Assert.Equal([layout.RankOf(d, 0, c), layout.RankOf(d, 1, c)], g.Shard.Ranks);
            Assert.Equal([layout.RankOf(d, f, 0), layout.RankOf(d, f, 1)], g.Context.Ranks);
            Assert.Equal(Enumerable.Range(0, 8).Where(r => layout.Coordinates(r).F == f), g.Gradient.Ranks.Order());
            Assert.Equal(Enumerable.Range(0, 8), g.World.Ranks);
            Assert.Equal(f, g.Shard.IndexOf(rank));
        }
    }

    [Theory]
    [InlineData(2, 2, 2)]
    [InlineData(3, 2, 1)]
    [InlineData(1, 4, 2)]
    public void Group_ids_are_distinct_across_the_mesh_and_agree_between_members(int dp, int fsdp, int cp)
    {
        var layout = new ParallelLayout(dp, fsdp, cp);
        var byId = new Dictionary<int, IReadOnlyList<int>>();
        for (int rank = 0; rank < layout.WorldSize; rank++)
        {
            var g = layout.GroupsOf(rank);
            foreach (var group in new[] { g.World, g.Shard, g.Context, g.Gradient })
            {
                Assert.Contains(rank, group.Ranks);
                // Same id ⇒ same members (every member derives the same group); different members ⇒ different id.
                if (byId.TryGetValue(group.Id, out var known)) Assert.Equal(known, group.Ranks);
                else byId[group.Id] = group.Ranks;
            }
        }
        int expected = 1 + dp * cp + dp * fsdp + fsdp;
        Assert.Equal(expected, byId.Count);
    }

    [Theory]
    [InlineData(0, 1, 1, 1, 6, "dp")]
    [InlineData(1, 0, 1, 1, 6, "fsdp")]
    [InlineData(1, 1, -1, 1, 6, "cp")]
    [InlineData(2, 2, 1, 6, 6, "ranks")]
    [InlineData(1, 1, 4, 4, 6, "cp")]
    public void Validation_names_the_field(int dp, int fsdp, int cp, int ranks, int heads, string field)
    {
        var e = Assert.Throws<ConfigException>(() => new ParallelLayout(dp, fsdp, cp).Validate(ranks, heads));
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void A_valid_layout_passes()
    {
        var layout = new ParallelLayout(2, 2, 2).Validate(8, 6);
        Assert.Equal(8, layout.WorldSize);
        Assert.Equal(4, layout.DataRanks);
    }
}
