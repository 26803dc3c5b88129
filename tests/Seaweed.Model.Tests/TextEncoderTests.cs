using static TorchSharp.torch;

namespace Seaweed.Model.Tests;

public class TextEncoderTests
{
    private static readonly TextEncoderConfig Config = TinyConfigs.Small.Text;

    private static (Tensor Ids, Tensor Mask) Prompts()
    {
        var tok = Tokenizer.Build(["a red circle moves left", "a blue square"], Config);
        return TextEncoder.Batch([tok.Encode("a red circle moves left"), tok.Encode("a blue square")]);
    }

    [Fact]
    public void Masks_that_are_not_bool_or_do_not_match_the_ids_are_rejected()
    {
        manual_seed(1);
        using var encoder = new TextEncoder(Config);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var (ids, mask) = Prompts();
        Assert.Equal(new long[] { 2, Config.MaxTokens, Config.Hidden }, encoder.Forward(ids, mask).shape);

        var e = Assert.Throws<ConfigException>(() => encoder.Forward(ids, mask.to(float32)));
        Assert.Equal("text.mask", e.Field);
        Assert.Contains("bool", e.Message);
        e = Assert.Throws<ConfigException>(() => encoder.Forward(ids, mask[..1]));
        Assert.Equal("text.mask", e.Field);
        e = Assert.Throws<ConfigException>(() => encoder.Forward(ids.to(float32), mask));
        Assert.Equal("text.ids", e.Field);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(96)] // = vocabSize
    public void Token_ids_outside_the_vocabulary_are_rejected(long id)
    {
        using var encoder = new TextEncoder(Config);
        using var scope = NewDisposeScope();
        var (ids, mask) = Prompts();
        ids[1, 2] = tensor(id);
        var e = Assert.Throws<ConfigException>(() => encoder.Forward(ids, mask));
        Assert.Equal("text.ids", e.Field);
        Assert.Contains($"[0, {Config.VocabSize})", e.Message);
    }

    [Fact]
    public void Constructor_validates_its_config()
    {
        var e = Assert.Throws<ConfigException>(() => new TextEncoder(Config with { Heads = 5 }));
        Assert.Equal("text.heads", e.Field);
        e = Assert.Throws<ConfigException>(() => new TextEncoder(Config with { MaxTokens = 1 }));
        Assert.Equal("text.maxTokens", e.Field);
    }

    [Fact]
    public void Batch_of_no_texts_or_of_unequal_lengths_is_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => TextEncoder.Batch([]));
        Assert.Equal("texts", e.ParamName);
        var tok = Tokenizer.Build(["a red circle"], Config);
        var other = Tokenizer.Build(["a red circle"], Config with { MaxTokens = 4 });
        e = Assert.Throws<ArgumentException>(() => TextEncoder.Batch([tok.Encode("a"), other.Encode("a")]));
        Assert.Equal("texts", e.ParamName);
    }
}
