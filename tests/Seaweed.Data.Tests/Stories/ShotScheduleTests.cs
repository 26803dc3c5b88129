using Seaweed.Data.Stories;

namespace Seaweed.Data.Tests.Stories;

public sealed class ShotScheduleTests
{
    [Fact]
    public void Each_cut_begins_a_chain_of_the_continue_shots_after_it()
    {
        //                             0      1     2     3      4      5     6
        var schedule = ShotSchedule.Plan([false, true, true, false, false, true, false]);
        Assert.Equal(4, schedule.Chains.Count);
        Assert.Equal([[0, 1, 2], [3], [4, 5], [6]], schedule.Chains.Select(c => c.ToArray()).ToArray());
    }

    [Fact]
    public void All_cuts_run_at_once_and_all_continues_in_one_chain()
    {
        Assert.Equal(3, ShotSchedule.Plan([false, false, false]).Chains.Count);
        var one = ShotSchedule.Plan([false, true, true]);
        Assert.Equal([0, 1, 2], Assert.Single(one.Chains));
    }

    [Fact]
    public void A_first_shot_that_continues_or_no_shot_is_refused()
    {
        Assert.Throws<ArgumentException>(() => ShotSchedule.Plan([true, false]));
        Assert.Throws<ArgumentException>(() => ShotSchedule.Plan([]));
    }
}
