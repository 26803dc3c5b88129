using Seaweed.Data;

namespace Seaweed.Data.Tests;

public sealed class PairTextTests
{
    [Theory]
    [InlineData("64x48", 64, 48)]
    [InlineData("64X48", 64, 48)]
    [InlineData("64×48", 64, 48)]
    [InlineData(" 2 x 3 ", 2, 3)]
    [InlineData("0x0", 0, 0)]
    public void Reads_two_whole_numbers(string text, int first, int second)
    {
        Assert.True(PairText.TryParse(text, out int a, out int b));
        Assert.Equal((first, second), (a, b));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("64")]
    [InlineData("64x")]
    [InlineData("x48")]
    [InlineData("64x48x2")]
    [InlineData("-64x48")]
    [InlineData("+64x48")]
    [InlineData("6.4x48")]
    [InlineData("64*48")]
    [InlineData("99999999999x1")]
    public void Refuses_anything_else(string? text) => Assert.False(PairText.TryParse(text, out _, out _));
}
