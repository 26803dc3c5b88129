namespace Seaweed.Data.World;

/// <summary>A clip's two captions: detailed (scene, objects, attributes) and short (action-centric).</summary>
public sealed record Caption(string Detailed, string Short);

/// <summary>
/// The caption language of the world. Every content has <see cref="Variants"/> phrasings (paraphrases) of the
/// detailed caption; the short caption is derived from the same content. <see cref="CaptionParser"/> reads any
/// phrasing back, which is how caption accuracy is scored.
/// </summary>
public static class CaptionGrammar
{
    public const int Variants = 3;

    public static Caption Write(SceneContent content, int variant) => new(Detailed(content, variant), Short(content));

    public static string Detailed(SceneContent content, int variant)
    {
        int v = Math.Abs(variant % Variants);
        string bg = BackgroundPhrase(content.Background);
        string cam = CameraClause(content.Camera, v);
        string A(ObjectContent o) => WithArticle(Mention(o, v, detailed: true));
        string join = content.IsStill ? "and" : "while";
        string text = (content.Second, v) switch
        {
            (null, 0) => $"{A(content.First)} on a {bg} background{cam}",
            (null, 1) => $"on a {bg} backdrop, {A(content.First)}{cam}",
            (null, _) => $"{A(content.First)} over a {bg} background{cam}",
            ({ } b, 0) => $"{A(content.First)} and {A(b)} on a {bg} background{cam}",
            ({ } b, 1) => $"on a {bg} backdrop, {A(content.First)} {join} {A(b)}{cam}",
            ({ } b, _) => $"two shapes over a {bg} background: {A(content.First)}, and {A(b)}{cam}",
        };
        return char.ToUpperInvariant(text[0]) + text[1..] + ".";
    }

    public static string Short(SceneContent content)
    {
        string text = string.Join(" and ", content.Objects.Select(o => Mention(o, 0, detailed: false)));
        return content.Camera == CameraPan.None ? text : $"{text}, camera pans {Name(content.Camera)}";
    }

    public static string Name<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    public static string MotionPhrase(Motion motion, int variant) => Phrases[motion][Math.Abs(variant % Variants)];

    private static readonly Dictionary<Motion, string[]> Phrases = new()
    {
        [Motion.Static] = ["stays still", "remains in place", "does not move"],
        [Motion.Left] = ["moves to the left", "slides left", "travels leftward"],
        [Motion.Right] = ["moves to the right", "slides right", "travels rightward"],
        [Motion.Up] = ["moves up", "rises", "floats upward"],
        [Motion.Down] = ["moves down", "falls", "sinks downward"],
        [Motion.Diagonal] = ["moves diagonally down to the right", "slides diagonally to the lower right", "travels diagonally toward the bottom right"],
        [Motion.Grow] = ["grows larger", "expands", "gets bigger"],
        [Motion.Shrink] = ["shrinks", "contracts", "gets smaller"],
    };

    private static string WithArticle(string phrase) => ("aeiou".Contains(phrase[0]) ? "an " : "a ") + phrase;

    // Variant 2 puts the size after the noun ("a red circle, small, rises"); the others before it.
    private static string Mention(ObjectContent o, int variant, bool detailed)
    {
        string noun = $"{Name(o.Colour)} {o.Shape.ToString().ToLowerInvariant()}";
        if (!detailed) return o.Motion is { } sm ? $"{noun} {MotionPhrase(sm, 0)}" : noun;
        string motion = o.Motion is { } m ? " " + MotionPhrase(m, variant) : "";
        return variant == 2 ? $"{noun}, {Name(o.Size)},{motion}".TrimEnd(',') : $"{Name(o.Size)} {noun}{motion}";
    }

    private static string BackgroundPhrase(Background background) => background switch
    {
        Background.Slate => "dark slate",
        Background.Sand => "sandy",
        _ => Name(background),
    };

    private static string CameraClause(CameraPan pan, int variant) => pan == CameraPan.None ? "" : variant switch
    {
        0 => $" as the camera pans {Name(pan)}",
        1 => $" while the camera pans {Name(pan)}",
        _ => $", and the camera pans {Name(pan)}",
    };
}
