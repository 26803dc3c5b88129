using Seaweed.Model;
using Seaweed.Parallel.Collectives;
using Seaweed.Parallel.Sharding;
using Seaweed.Parallel.Tests.Collectives;
using Seaweed.Parallel.Transport;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Seaweed.Parallel.Tests.Sharding;

public class UlyssesTests(ITestOutputHelper output)
{
    static UlyssesTests() => set_num_threads(1);

    private sealed record RankResult(int Rank, float Loss, Tensor Tokens, Dictionary<string, Tensor> Gradients);

    [Theory]
    [InlineData(2, "full", 5)]
    [InlineData(3, "full", 5)] // 12 + 20 tokens: rank 0 holds text only, the padded text is split between ranks 0 and 1
    [InlineData(2, "window", 5)] // 5 frames: the 4×1×1 layer's windows are unequal
    [InlineData(3, "window", 3)] // 12 + 12 tokens: rank 1 holds the padded text tail and the first video tokens
    public void Sharded_outputs_loss_and_summed_gradients_equal_the_unsharded_model(int cp, string attention, int frames)
    {
        var config = UlyssesFixture.Config(attention);
        using var reference = UlyssesFixture.Model(config);
        var sample = UlyssesFixture.MakeSample(config, frames);

        var loss = Objectives.Dit(reference, sample.X0, sample.Noise, sample.Time, sample.Conditioning);
        loss.backward();
        Tensor expectedTokens;
        using (no_grad()) expectedTokens = HybridStreamDiT.Patchify(reference.Forward(sample.Input), config.Dit.Patch);

        var copies = Enumerable.Range(0, cp).Select(_ => UlyssesFixture.CopyOf(reference)).ToArray();
        var ranks = Ranks.Run(cp, communicator =>
        {
            var dit = copies[communicator.Rank];
            var execution = new DitExecution(Shard: new UlyssesExchange(communicator, ProcessGroup.World(cp), config.Dit.Heads).Shard);
            var share = Objectives.Dit(dit, sample.X0, sample.Noise, sample.Time, sample.Conditioning, execution);
            share.backward();
            using var _ = no_grad();
            var tokens = dit.ForwardTokens(sample.Input, execution);
            return new RankResult(communicator.Rank, share.item<float>(), tokens,
                dit.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!));
        });

        Assert.All(ranks, r => Assert.True(r.Tokens.shape[1] < expectedTokens.shape[1], "every rank computes only part of the video"));
        double outputError = UlyssesFixture.RelativeError(cat(ranks.Select(r => r.Tokens).ToArray(), 1), expectedTokens);
        Assert.True(outputError <= 1e-5, $"relative output error {outputError:E2}");
        Assert.Equal(loss.item<float>(), ranks.Sum(r => r.Loss), 1e-5 * loss.item<float>());
        double worst = 0;
        foreach (var (name, p) in reference.named_parameters())
        {
            var summed = ranks.Select(r => r.Gradients[name]).Aggregate((a, b) => a + b);
            double error = UlyssesFixture.RelativeError(summed, p.grad!);
            Assert.True(error <= 1e-5, $"{name}: relative gradient error {error:E2}");
            worst = Math.Max(worst, error);
        }
        output.WriteLine($"cp {cp}, {attention}: relative error output {outputError:E2}, worst parameter gradient {worst:E2}");
        foreach (var copy in copies) copy.Dispose();
    }

    [Fact]
    public void Exchange_moves_token_shards_to_head_shards_and_gradients_back()
    {
        long[] lengths = [3, 4, 5]; // uneven token shards
        manual_seed(30);
        var full = randn(2, 6, 12, 4); // (B, heads, L, hd)
        var weight = randn(2, 6, 12, 4);
        long[] starts = [0, 3, 7];
        var ranks = Ranks.Run(3, communicator =>
        {
            int r = communicator.Rank;
            var exchange = new UlyssesExchange(communicator, ProcessGroup.World(3), heads: 6);
            var local = full.narrow(2, starts[r], lengths[r]).detach().requires_grad_();
            var (q, k, v) = exchange.ToHeadShards(local, 2 * local, 3 * local, lengths);
            var back = exchange.ToSequenceShards(q, lengths);
            (q * weight.narrow(1, 2 * r, 2)).sum().backward();
            return (Q: q, K: k, V: v, Back: back, Gradient: local.grad!);
        });
        for (int r = 0; r < 3; r++)
        {
            var heads = full.narrow(1, 2 * r, 2); // rank r's 6/3 heads, every token
            Assert.Equal(0, (ranks[r].Q - heads).abs().max().item<float>());
            Assert.Equal(0, (ranks[r].K - 2 * heads).abs().max().item<float>());
            Assert.Equal(0, (ranks[r].V - 3 * heads).abs().max().item<float>());
            Assert.Equal(0, (ranks[r].Back - full.narrow(2, starts[r], lengths[r])).abs().max().item<float>());
            // q = x restricted to rank r's heads: the gradient of x is the weight, arriving from the rank that holds each head.
            Assert.Equal(0, (ranks[r].Gradient - weight.narrow(2, starts[r], lengths[r])).abs().max().item<float>());
        }
    }

    [Theory]
    [InlineData(2)] // 32 tokens: 16 each
    [InlineData(3)] // 32 tokens: 10, 11, 11
    public void All_to_all_bytes_per_layer_match_the_Ulysses_formula(int cp)
    {
        var config = UlyssesFixture.Config("full");
        using var reference = UlyssesFixture.Model(config);
        var sample = UlyssesFixture.MakeSample(config, frames: 5);
        var (text, video) = sample.Input.Tokens(config.Dit.Patch);
        long length = text + video, batch = 2, hidden = config.Dit.Hidden, layers = config.Dit.Layers;
        var copies = Enumerable.Range(0, cp).Select(_ => UlyssesFixture.CopyOf(reference)).ToArray();
        var traffic = Ranks.Run(cp, communicator =>
        {
            var exchange = new UlyssesExchange(communicator, ProcessGroup.World(cp), config.Dit.Heads);
            var execution = new DitExecution(Shard: exchange.Shard);
            var counters = communicator.Traffic;
            var share = Objectives.Dit(copies[communicator.Rank], sample.X0, sample.Noise, sample.Time, sample.Conditioning, execution);
            var forward = (Sent: counters.BytesSent, Received: counters.BytesReceived);
            share.backward();
            return (Forward: forward, Backward: (Sent: counters.BytesSent - forward.Sent, Received: counters.BytesReceived - forward.Received));
        });
        for (int i = 0; i < cp; i++)
        {
            long li = (i + 1) * length / cp - i * length / cp; // rank i's tokens
            // Elements per layer: q, k, v leave for the P − 1 other head groups; the output comes back for the other ranks' tokens.
            long sent = batch * hidden / cp * (3 * li * (cp - 1) + (length - li));
            long received = batch * hidden / cp * (3 * (length - li) + li * (cp - 1));
            Assert.Equal(4 * layers * sent, traffic[i].Forward.Sent);
            Assert.Equal(4 * layers * received, traffic[i].Forward.Received);
            // Backward runs the reverse all-to-alls.
            Assert.Equal(traffic[i].Forward.Received, traffic[i].Backward.Sent);
            Assert.Equal(traffic[i].Forward.Sent, traffic[i].Backward.Received);
            output.WriteLine($"cp {cp}, rank {i} ({li} of {length} tokens): {traffic[i].Forward.Sent / layers} bytes sent, " +
                $"{traffic[i].Forward.Received / layers} received per layer forward");
            if (length % cp == 0) // the DeepSpeed-Ulysses figure 4·(N/P)·h·(P−1)/P elements per sample
                Assert.Equal(batch * 4 * (length / cp) * hidden * (cp - 1) / cp, sent);
        }
        foreach (var copy in copies) copy.Dispose();
    }

    [Fact]
    public void A_context_group_that_does_not_divide_the_heads_is_refused()
    {
        var communicator = new Communicator(InProcessTransport.Create(4)[0]);
        var e = Assert.Throws<ConfigException>(() => new UlyssesExchange(communicator, ProcessGroup.World(4), heads: 6));
        Assert.Equal("cp", e.Field);
        Assert.Contains("4 context-parallel ranks do not divide 6 attention heads", e.Message);
    }
}
