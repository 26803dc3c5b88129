using System.Text.Json;
using Seaweed.Tests.Shared;

namespace Seaweed.Cli.Tests;

[Collection(Cli.Environment)]
public sealed class BenchServeTests
{
    [Fact]
    public void Every_request_completes_or_is_refused_by_the_queue_and_none_is_lost()
    {
        string model = TinyModel.SaveTemp();
        try
        {
            var (code, stdout, stderr) = Cli.Seaweed("bench", "serve", "--json", "--requests", "6", "--queue", "2", "--steps", "2", "--model", model);
            Assert.True(code == 0, stderr);
            var r = JsonDocument.Parse(stdout).RootElement;
            int accepted = r.GetProperty("accepted").GetInt32(), rejected = r.GetProperty("rejected").GetInt32();
            Assert.Equal(6, accepted + rejected);
            // At most the queue's 2 at once are held; more are accepted only as earlier ones finish.
            Assert.InRange(accepted, 1, 6);
            Assert.Equal(accepted, r.GetProperty("completed").GetInt32());
            Assert.Equal(0, r.GetProperty("lost").GetInt32());
            Assert.Equal(0, r.GetProperty("failed").GetInt32());
            var latency = r.GetProperty("latency");
            Assert.True(latency.GetProperty("p50").GetDouble() <= latency.GetProperty("p95").GetDouble(), stdout);
            double single = r.GetProperty("singleSeconds").GetDouble();
            Assert.Equal(latency.GetProperty("p50").GetDouble() / single, r.GetProperty("p50OverSingle").GetDouble(), tolerance: 0.01 + 0.001 / single);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(model)!, recursive: true);
        }
    }

    [Theory]
    [InlineData("--requests", "0", "--requests")]
    [InlineData("--queue", "0", "--queue")]
    [InlineData("--model", "/no/such/model", "--model")]
    public void Bad_input_exits_with_one_line_naming_the_field(string option, string value, string expected)
    {
        SiloState.AssertBadInput(Cli.Seaweed("bench", "serve", "--json", option, value), expected);
    }
}
