using Seaweed.Model;

namespace Seaweed.Training.Tests;

public class CurriculumTests
{
    [Fact]
    public void Default_stages_follow_table_2_images_only_first_then_video_then_larger()
    {
        var stages = Curriculum.Default(Presets.Tiny);
        Assert.Equal([0.375, 0.25, 0.25, 0.125], stages.Select(s => s.Fraction));
        Assert.Null(stages[0].Videos);
        Assert.Equal(1, stages[0].EffectiveImageShare);
        Assert.All(stages.Skip(1), s => Assert.NotNull(s.Videos));
        Assert.Equal([32, 32, 48, 64], stages.Select(s => s.Videos?.Resolution ?? s.Images!.Resolutions.Min()));
        Assert.Equal(9, stages[1].Videos!.Frames.Single());
        Assert.Equal(17, stages[3].Videos!.Frames.Single());
    }

    [Fact]
    public void Stage_boundaries_are_exact_step_counts()
    {
        var c = new Curriculum(Curriculum.Default(Presets.Tiny), 1000);
        Assert.Equal([0L, 375, 625, 875], c.Stages.Select(s => s.Start));
        Assert.Equal([375L, 625, 875, 1000], c.Stages.Select(s => s.End));
        Assert.Equal(0, c.At(374).Index);
        Assert.Equal(1, c.At(375).Index);
        Assert.Equal(3, c.At(999).Index);
        Assert.Throws<ArgumentOutOfRangeException>(() => c.At(1000));
        Assert.Throws<ArgumentOutOfRangeException>(() => c.At(-1));
    }

    [Fact]
    public void Rounding_does_not_accumulate_and_the_last_stage_ends_at_the_last_step()
    {
        // Cumulative shares 3.75, 6.25, 8.75 of 10 round to 4, 6, 9.
        Assert.Equal([0L, 4, 6, 9, 10], Curriculum.Boundaries(Curriculum.Default(Presets.Tiny), 10));
        var thirds = Enumerable.Range(0, 3).Select(i => new StageConfig { Name = $"s{i}", Fraction = 1.0 / 3 }).ToList();
        Assert.Equal([0L, 33, 67, 100], Curriculum.Boundaries(thirds, 100));
    }

    [Fact]
    public void Sizes_keep_the_aspect_ratio_near_the_target_area_on_the_token_grid()
    {
        Assert.Equal((32, 32), StageSizes.Fit(Presets.Tiny, 64, 64, 32));
        Assert.Equal((96, 48), StageSizes.Fit(Presets.Tiny, 128, 64, 64));
        Assert.Equal((48, 80), StageSizes.Fit(Presets.Tiny, 96, 128, 64)); // 3840 px² of 4096: the nearest on the grid
        Assert.Equal((16, 16), StageSizes.Fit(Presets.Tiny, 64, 64, 4)); // never below one token
    }

    [Fact]
    public void Frame_counts_are_one_plus_a_multiple_of_the_temporal_factor()
    {
        Assert.Equal(9, StageSizes.UsableFrames(Presets.Tiny, 12, 17));
        Assert.Equal(13, StageSizes.UsableFrames(Presets.Tiny, 17, 15));
        Assert.Equal(1, StageSizes.UsableFrames(Presets.Tiny, 17, 4));
        Assert.Equal(5 * 4 * 4, StageSizes.VideoTokens(Presets.Tiny, 17, 64, 64));
        Assert.Equal(2 * 3 * 6, StageSizes.VideoTokens(Presets.Tiny, 5, 48, 96));
    }
}
