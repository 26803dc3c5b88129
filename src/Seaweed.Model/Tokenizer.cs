using System.Text;
using System.Text.Json;

namespace Seaweed.Model;

/// <summary>Token ids and padding mask for one prompt, plus what the tokenizer could not place.</summary>
public sealed record TokenizedText(long[] Ids, bool[] Mask, IReadOnlyList<string> UnknownWords, bool Truncated);

/// <summary>
/// Word-level tokenizer with a vocabulary learned from the project's own captions. Text is lower-cased and split
/// into runs of letters and digits; words outside the vocabulary hash (FNV-1a) into a fixed set of unknown
/// buckets, so any input encodes. Id layout: [special tokens][unknown buckets][words].
/// </summary>
public sealed class Tokenizer
{
    public static readonly string[] SpecialTokens = ["<pad>", "<bos>", "<eos>"];
    public const long Pad = 0, Bos = 1, Eos = 2;

    private readonly Dictionary<string, long> ids;
    private readonly int maxTokens;
    private readonly int buckets;

    public IReadOnlyList<string> Vocabulary { get; }

    public Tokenizer(IReadOnlyList<string> vocabulary, TextEncoderConfig config)
    {
        int capacity = config.VocabSize - SpecialTokens.Length - config.UnknownBuckets;
        if (vocabulary.Count > capacity)
            throw new ConfigException("tokenizer.vocabulary", $"{vocabulary.Count} words exceed text.vocabSize room for {capacity}");
        maxTokens = config.MaxTokens;
        buckets = config.UnknownBuckets;
        Vocabulary = vocabulary;
        ids = new Dictionary<string, long>(StringComparer.Ordinal);
        long next = SpecialTokens.Length + buckets;
        foreach (var word in vocabulary)
        {
            var normal = word.ToLowerInvariant();
            if (Words(normal).ToList() is not [var only] || only != normal)
                throw new ConfigException("tokenizer.vocabulary", $"'{word}' is not a single word");
            if (!ids.TryAdd(normal, next++))
                throw new ConfigException("tokenizer.vocabulary", $"'{word}' appears twice");
        }
    }

    /// <summary>The most frequent words of a corpus, as many as the configuration has room for (ties by spelling).</summary>
    public static Tokenizer Build(IEnumerable<string> corpus, TextEncoderConfig config)
    {
        int capacity = config.VocabSize - SpecialTokens.Length - config.UnknownBuckets;
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var text in corpus)
        foreach (var word in Words(text))
            counts[word] = counts.GetValueOrDefault(word) + 1;
        var words = counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Take(capacity).Select(kv => kv.Key).ToList();
        return new Tokenizer(words, config);
    }

    /// <summary>Lower-cased runs of letters and digits; everything else separates words.</summary>
    public static IEnumerable<string> Words(string text)
    {
        var word = new StringBuilder();
        foreach (var ch in text ?? "")
        {
            if (char.IsLetterOrDigit(ch)) word.Append(char.ToLowerInvariant(ch));
            else if (word.Length > 0)
            {
                yield return word.ToString();
                word.Clear();
            }
        }
        if (word.Length > 0) yield return word.ToString();
    }

    public bool IsKnown(string word) => ids.ContainsKey(word.ToLowerInvariant());

    /// <summary>[bos] words… [eos], padded to maxTokens; the tail is cut (keeping [eos]) when too long.</summary>
    public TokenizedText Encode(string text)
    {
        var tokens = new List<long> { Bos };
        var unknown = new List<string>();
        foreach (var word in Words(text))
        {
            if (ids.TryGetValue(word, out long id)) tokens.Add(id);
            else
            {
                unknown.Add(word);
                tokens.Add(SpecialTokens.Length + Bucket(word));
            }
        }
        bool truncated = tokens.Count + 1 > maxTokens;
        if (truncated) tokens.RemoveRange(maxTokens - 1, tokens.Count - (maxTokens - 1));
        tokens.Add(Eos);
        var result = new long[maxTokens];
        var mask = new bool[maxTokens];
        for (int i = 0; i < tokens.Count; i++)
        {
            result[i] = tokens[i];
            mask[i] = true;
        }
        return new TokenizedText(result, mask, unknown, truncated);
    }

    private long Bucket(string word)
    {
        uint hash = 2166136261;
        foreach (byte b in Encoding.UTF8.GetBytes(word)) hash = (hash ^ b) * 16777619;
        return hash % (uint)buckets;
    }

    public string ToJson() => JsonSerializer.Serialize(new { vocabulary = Vocabulary }, SeaweedConfig.Json);

    public static Tokenizer FromJson(string json, TextEncoderConfig config)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (!doc.RootElement.TryGetProperty("vocabulary", out var list) || list.ValueKind != JsonValueKind.Array)
                throw new ConfigException("tokenizer.vocabulary", "is missing");
            var words = new List<string>();
            foreach (var entry in list.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.String)
                    throw new ConfigException($"tokenizer.vocabulary[{words.Count}]", $"{entry.GetRawText()} is not a string");
                words.Add(entry.GetString()!);
            }
            return new Tokenizer(words, config);
        }
        catch (JsonException e)
        {
            throw new ConfigException("tokenizer", $"is not valid JSON: {e.Message}");
        }
    }
}
