namespace Seaweed.Data.World;

/// <summary>
/// The fixed held-out split: a colour × shape × motion triple is held out when
/// (colour + 2·shape + 3·motion) mod 10 = 0, with enum indices. That is 32 of the 320 triples; every colour,
/// shape and motion, and every pair of them, still appears in training data, so a held-out triple tests
/// composition, not an unseen word. Training data never contains a held-out triple on any object.
/// </summary>
public static class HeldOut
{
    public static bool IsHeldOut(Composition c) => ((int)c.Colour + 2 * (int)c.Shape + 3 * (int)c.Motion) % 10 == 0;

    public static IReadOnlyList<Composition> All { get; } =
        (from c in Vocabulary.Colours from s in Vocabulary.Shapes from m in Vocabulary.Motions
         let k = new Composition(c, s, m) where IsHeldOut(k) select k).ToArray();

    /// <summary>True when any object of the clip is a held-out triple.</summary>
    public static bool Touches(SceneContent content) =>
        content.Objects.Any(o => o.Composition is { } k && IsHeldOut(k));
}

/// <summary>Which side of the held-out split a generator draws from.</summary>
public enum WorldSplit { Train, HeldOut }
