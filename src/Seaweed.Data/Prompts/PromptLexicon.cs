using Seaweed.Data.World;

namespace Seaweed.Data.Prompts;

/// <summary>What a word (or a phrase of words) of a prompt means in the world's caption language.</summary>
internal enum TermKind
{
    Colour, Shape, Size, Motion, Direction, Background, Camera,
    /// <summary>A camera that does not pan ("static camera").</summary>
    StillCamera,
    /// <summary>Joins mentions ("and"): an attribute after it starts the next object.</summary>
    Separator,
    /// <summary>Carries nothing the caption states: articles, requests ("please", "show me"), motion verbs.</summary>
    Filler,
    Unknown,
}

/// <summary>One term: its kind, the value it stands for, and the words of the prompt it was read from.</summary>
internal sealed record Term(TermKind Kind, string Words, Colour Colour = default, Shape Shape = default, ObjectSize Size = default,
    Motion Motion = default, CameraPan Direction = default, Background Background = default);

/// <summary>
/// The prompt vocabulary: synonyms of the world's colours, shapes, sizes, motions and backgrounds, camera words,
/// and filler. Phrases are matched before single words, longest first.
/// </summary>
internal static class PromptLexicon
{
    private static readonly Dictionary<string, Term> Words = new(StringComparer.Ordinal);
    private static readonly List<(string[] Words, Term Term)> Phrases = [];

    /// <summary>The word punctuation between clauses becomes: filler, but no phrase spans it.</summary>
    public const string Pause = ",";

    /// <summary>Words of the caption grammar itself, not worth reporting as dropped.</summary>
    public static readonly HashSet<string> Glue = new(StringComparer.Ordinal)
    {
        Pause,
        "a", "an", "the", "on", "over", "to", "of", "while", "as", "two", "shapes", "background", "backdrop", "moves", "slides",
        "travels", "stays", "remains", "in", "gets", "does",
    };

    static PromptLexicon()
    {
        Colour("red", "red crimson scarlet ruby cherry maroon vermilion");
        Colour("orange", "orange tangerine amber");
        Colour("yellow", "yellow gold golden lemon mustard");
        Colour("green", "green lime emerald olive jade");
        Colour("cyan", "cyan turquoise teal aqua aquamarine");
        Colour("blue", "blue navy azure cobalt sapphire cerulean");
        Colour("purple", "purple violet lavender indigo lilac plum");
        Colour("pink", "pink magenta fuchsia rose salmon");
        Shape("circle", "circle circles ball balls disc discs disk disks dot dots sphere spheres orb orbs ring rings bubble bubbles");
        Shape("square", "square squares box boxes cube cubes block blocks rectangle rectangles");
        Shape("triangle", "triangle triangles pyramid pyramids wedge wedges");
        Shape("diamond", "diamond diamonds rhombus rhombi rhombuses lozenge lozenges");
        Shape("cross", "cross crosses plus pluses");
        Size("small", "small little tiny mini");
        Size("medium", "medium average moderate midsize");
        Size("large", "large big huge giant massive enormous");
        Motion("static", "still static stationary motionless unmoving frozen");
        Motion("left", "leftward leftwards");
        Motion("right", "rightward rightwards");
        Motion("up", "upward upwards rises rise rising ascends ascend ascending climbs climbing");
        Motion("down", "downward downwards falls fall falling drops dropping sinks sinking descends descend descending");
        Motion("diagonal", "diagonal diagonally");
        Motion("grow", "grows grow growing expands expand expanding enlarges swells inflates bigger larger");
        Motion("shrink", "shrinks shrink shrinking contracts contract contracting deflates smaller");
        foreach (var (word, pan) in new[] { ("left", CameraPan.Left), ("right", CameraPan.Right), ("up", CameraPan.Up), ("down", CameraPan.Down) })
            Words[word] = new Term(TermKind.Direction, word, Direction: pan);
        Background("grey", "grey gray");
        Background("slate", "slate");
        Background("sand", "sand sandy beige tan");
        Background("checkered", "checkered chequered checkerboard checked chessboard");
        Background("striped", "striped stripes stripy stripey");
        Background("cloudy", "cloudy clouds cloud overcast");
        Add(TermKind.Camera, "camera pan pans panning panned");
        Add(TermKind.Separator, "and");
        Words[Pause] = new Term(TermKind.Filler, Pause);
        Add(TermKind.Filler,
            "a an the of please video videos clip animation movie film footage scene show me make create generate render draw produce "
            + "i want would like id can could you give us some with that which who is are its it they there while as on in over at to "
            + "toward towards across from into onto then also just slowly quickly fast slow gently steadily smoothly one single two both "
            + "shape shapes object objects screen frame side itself by being be has have sized coloured colored background backdrop "
            + "backgrounds bg light dark bright deep pale vivid moves move moving goes go going heads heading travels travel travelling "
            + "traveling slides slide sliding drifts drifting glides gliding floats float floating rolls rolling flies flying stays stay "
            + "remains remain gets get getting becomes becoming keeps");
        Phrase("dark slate", new Term(TermKind.Background, "", Background: World.Background.Slate));
        Phrase("dark background", new Term(TermKind.Background, "", Background: World.Background.Slate));
        Phrase("dark backdrop", new Term(TermKind.Background, "", Background: World.Background.Slate));
        foreach (var p in new[] { "down and to the right", "down to the right", "to the lower right", "to the bottom right", "toward the bottom right",
                     "lower right", "bottom right", "down right" })
            Phrase(p, new Term(TermKind.Motion, "", Motion: World.Motion.Diagonal));
        foreach (var p in new[] { "not moving", "not move", "doesnt move", "dont move", "does not move", "in place", "stays put", "stay put" })
            Phrase(p, new Term(TermKind.Motion, "", Motion: World.Motion.Static));
        foreach (var p in new[] { "scales up", "scaling up" }) Phrase(p, new Term(TermKind.Motion, "", Motion: World.Motion.Grow));
        foreach (var p in new[] { "scales down", "scaling down" }) Phrase(p, new Term(TermKind.Motion, "", Motion: World.Motion.Shrink));
        foreach (var p in new[] { "static camera", "still camera", "fixed camera", "stationary camera", "camera is still", "camera is static",
                     "camera stays still", "camera does not move", "camera doesnt move", "no camera motion", "no camera movement" })
            Phrase(p, new Term(TermKind.StillCamera, ""));
        Phrase("medium sized", new Term(TermKind.Size, "", Size: ObjectSize.Medium));
        Phrase("mid sized", new Term(TermKind.Size, "", Size: ObjectSize.Medium));
        Phrases.Sort((a, b) => b.Words.Length.CompareTo(a.Words.Length));
    }

    /// <summary>
    /// The terms of <paramref name="words"/> (lower-case, apostrophes removed), phrases first. A word the lexicon
    /// has no entry for is <see cref="TermKind.Unknown"/>.
    /// </summary>
    public static List<Term> Read(IReadOnlyList<string> words)
    {
        var terms = new List<Term>();
        for (int i = 0; i < words.Count;)
        {
            var phrase = Phrases.FirstOrDefault(p => Matches(words, i, p.Words));
            if (phrase.Words is { } matched)
            {
                terms.Add(phrase.Term with { Words = string.Join(' ', matched) });
                i += matched.Length;
                continue;
            }
            terms.Add(Words.TryGetValue(words[i], out var term) ? term with { Words = words[i] } : new Term(TermKind.Unknown, words[i]));
            i++;
        }
        return terms;
    }

    private static bool Matches(IReadOnlyList<string> words, int start, string[] phrase)
    {
        if (start + phrase.Length > words.Count) return false;
        for (int k = 0; k < phrase.Length; k++)
            if (words[start + k] != phrase[k]) return false;
        return true;
    }

    private static void Colour(string name, string words) => Add(new Term(TermKind.Colour, "", Colour: Enum.Parse<Colour>(name, true)), words);
    private static void Shape(string name, string words) => Add(new Term(TermKind.Shape, "", Shape: Enum.Parse<Shape>(name, true)), words);
    private static void Size(string name, string words) => Add(new Term(TermKind.Size, "", Size: Enum.Parse<ObjectSize>(name, true)), words);
    private static void Motion(string name, string words) => Add(new Term(TermKind.Motion, "", Motion: Enum.Parse<Motion>(name, true)), words);
    private static void Background(string name, string words) => Add(new Term(TermKind.Background, "", Background: Enum.Parse<Background>(name, true)), words);
    private static void Add(TermKind kind, string words) => Add(new Term(kind, ""), words);

    private static void Add(Term term, string words)
    {
        foreach (var word in words.Split(' ', StringSplitOptions.RemoveEmptyEntries)) Words[word] = term;
    }

    private static void Phrase(string words, Term term) => Phrases.Add((words.Split(' '), term));
}
