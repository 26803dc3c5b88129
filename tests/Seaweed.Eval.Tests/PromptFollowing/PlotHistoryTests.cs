namespace Seaweed.Eval.Tests.PromptFollowing;

public sealed class PlotHistoryTests
{
    [Fact]
    public void Reads_steps_and_losses_from_a_history()
    {
        var s = PlotHistory.Read("DiT", """{ "runId": "r", "history": [ { "step": 1, "loss": 1.5 }, { "step": 2, "loss": 1.25 } ] }""", "export.json");
        Assert.Equal("DiT", s.Name);
        Assert.Equal([new PlotPoint(1, 1.5), new PlotPoint(2, 1.25)], s.Points);
    }

    [Fact]
    public void Takes_the_total_of_a_loss_with_terms_and_a_bare_array()
    {
        var s = PlotHistory.Read("VAE", """[ { "step": 10, "loss": { "total": 0.5, "l1": 0.25 } } ]""", "vae.json");
        Assert.Equal([new PlotPoint(10, 0.5)], s.Points);
    }

    [Theory]
    [InlineData("""{ "steps": [] }""", "no 'history'")]
    [InlineData("""{ "history": [] }""", "empty")]
    [InlineData("""{ "history": [ { "step": 1 } ] }""", "history[0] has no 'loss'")]
    [InlineData("""{ "history": [ { "step": 1, "loss": 1 }, { "step": "x", "loss": 1 } ] }""", "history[1].step")]
    [InlineData("""not json""", "not JSON")]
    public void Bad_histories_name_the_file_and_the_entry(string json, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => PlotHistory.Read("x", json, "run.json"));
        Assert.StartsWith("run.json: ", e.Message);
        Assert.Contains(expected, e.Message);
    }
}
