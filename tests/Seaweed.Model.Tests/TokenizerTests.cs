namespace Seaweed.Model.Tests;

public class TokenizerTests
{
    private static readonly TextEncoderConfig Config = new() { VocabSize = 64, UnknownBuckets = 8, MaxTokens = 8 };

    [Fact]
    public void Known_words_map_to_vocabulary_ids_and_case_and_punctuation_do_not_matter()
    {
        var tok = Tokenizer.Build(["a red circle moves left", "a blue square moves right"], Config);
        var a = tok.Encode("A red circle, moves LEFT!");
        var b = tok.Encode("a red circle moves left");
        Assert.Equal(b.Ids, a.Ids);
        Assert.Empty(a.UnknownWords);
        Assert.Equal([true, true, true, true, true, true, true, false], a.Mask);
        Assert.Equal(Tokenizer.Bos, a.Ids[0]);
        Assert.Equal(Tokenizer.Eos, a.Ids[6]);
        Assert.Equal(Tokenizer.Pad, a.Ids[7]);
    }

    [Fact]
    public void Unknown_words_hash_into_buckets_and_are_reported()
    {
        var tok = Tokenizer.Build(["a red circle"], Config);
        var t = tok.Encode("a mauve dodecahedron ☃ 🚀 circle");
        Assert.Equal(["mauve", "dodecahedron"], t.UnknownWords);
        long firstWordId = Tokenizer.SpecialTokens.Length + Config.UnknownBuckets;
        Assert.InRange(t.Ids[2], Tokenizer.SpecialTokens.Length, firstWordId - 1);
        Assert.Equal(tok.Encode("mauve").Ids[1], t.Ids[2]); // stable
    }

    [Fact]
    public void Long_prompts_are_cut_keeping_eos_and_empty_prompts_encode()
    {
        var tok = Tokenizer.Build(["one two three four five six seven eight nine"], Config);
        var t = tok.Encode("one two three four five six seven eight nine");
        Assert.True(t.Truncated);
        Assert.Equal(Tokenizer.Eos, t.Ids[^1]);
        Assert.All(t.Mask, Assert.True);
        var empty = tok.Encode("");
        Assert.Equal([Tokenizer.Bos, Tokenizer.Eos, 0, 0, 0, 0, 0, 0], empty.Ids);
    }

    [Fact]
    public void Vocabulary_round_trips_through_json_and_bad_vocabularies_are_rejected()
    {
        var tok = Tokenizer.Build(["a red circle"], Config);
        var back = Tokenizer.FromJson(tok.ToJson(), Config);
        Assert.Equal(tok.Vocabulary, back.Vocabulary);
        Assert.Throws<ConfigException>(() => new Tokenizer(["red", "red"], Config));
        Assert.Throws<ConfigException>(() => new Tokenizer(["two words"], Config));
        Assert.Throws<ConfigException>(() => Tokenizer.FromJson("{", Config));
    }

    [Theory]
    [InlineData("""{"vocabulary": ["red", 7]}""", "tokenizer.vocabulary[1]")]
    [InlineData("""{"vocabulary": [null, "red"]}""", "tokenizer.vocabulary[0]")]
    [InlineData("""{"vocabulary": ["red", ["blue"]]}""", "tokenizer.vocabulary[1]")]
    [InlineData("""{"words": []}""", "tokenizer.vocabulary")]
    public void Vocabulary_entries_that_are_not_strings_are_rejected_naming_the_entry(string json, string field)
    {
        var e = Assert.Throws<ConfigException>(() => Tokenizer.FromJson(json, Config));
        Assert.Equal(field, e.Field);
    }
}
