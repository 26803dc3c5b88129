using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Seaweed.Model.Tests;

/// <summary>A single frame takes the 2-D path: equal, forward and backward, to the 3-D convolution over kT copies of it.</summary>
public sealed class CausalConv3dTests
{
    [Theory]
    [InlineData(3, 1, 1, 1)]
    [InlineData(3, 1, 2, 2)]
    [InlineData(3, 2, 2, 2)]
    [InlineData(1, 1, 1, 1)]
    public void A_single_frame_equals_the_3d_convolution_over_its_causal_front(int kT, int sT, int sH, int sW)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(31);
        var conv = SeededInit.Create(32, () => new CausalConv3d(5, 7, (kT, 3, 3), (sT, sH, sW)));
        var x = randn(new long[] { 2, 5, 1, 9, 10 }, generator: generator).requires_grad_();
        var weight = conv.parameters().First(p => p.dim() == 5);
        var bias = conv.parameters().First(p => p.dim() == 1);

        var y = conv.Forward(x);
        var front = x.expand(-1, -1, kT, -1, -1);
        var expected = F.conv3d(front, weight, bias, strides: [sT, sH, sW], padding: [0, 1, 1]);
        TensorAssert.Close(expected, y, 1e-5);

        var upstream = randn(y.shape, generator: generator);
        var grads = autograd.grad([y], [x, weight, bias], [upstream]);
        var expectedGrads = autograd.grad([expected], [x, weight, bias], [upstream]);
        for (int i = 0; i < grads.Count; i++) TensorAssert.Close(expectedGrads[i], grads[i], 1e-4);
    }

    [Fact]
    public void A_stream_that_starts_with_one_frame_continues_as_one_whole_pass()
    {
        using var scope = NewDisposeScope();
        var conv = SeededInit.Create(33, () => new CausalConv3d(4, 6));
        var x = randn(new long[] { 1, 4, 5, 8, 8 }, generator: new Generator(34));
        var whole = conv.Forward(x);
        using var cache = new FrameCache();
        var chunks = cat([conv.Forward(x[.., .., ..1], cache), conv.Forward(x[.., .., 1..3], cache), conv.Forward(x[.., .., 3..], cache)], 2);
        TensorAssert.Close(whole, chunks, 1e-5);
    }
}
