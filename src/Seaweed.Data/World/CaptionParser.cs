namespace Seaweed.Data.World;

/// <summary>What a caption states about one object; fields the caption leaves out are null.</summary>
public sealed record ObjectMention(Colour Colour, Shape Shape, ObjectSize? Size, Motion? Motion);

/// <summary>What a caption states about a clip; fields the caption leaves out are null.</summary>
public sealed record ParsedCaption(IReadOnlyList<ObjectMention> Objects, Background? Background, CameraPan? Camera)
{
    /// <summary>True when every object the content has is mentioned, in any order, with matching colour, shape and
    /// motion, and every size, background and camera the caption states matches too. Mentions are paired with
    /// objects by colour: the world never gives two objects one colour.</summary>
    public bool Matches(SceneContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var truth = content.Objects.ToArray();
        if (Objects.Count != truth.Length) return false;
        var unpaired = Objects.ToList();
        foreach (var o in truth)
        {
            int k = unpaired.FindIndex(m => m.Colour == o.Colour);
            if (k < 0) return false;
            var m = unpaired[k];
            unpaired.RemoveAt(k);
            if (m.Shape != o.Shape || m.Motion != o.Motion) return false;
            if (m.Size is { } s && s != o.Size) return false;
        }
        if (Background is { } b && b != content.Background) return false;
        return (Camera ?? CameraPan.None) == content.Camera;
    }
}

/// <summary>
/// Reads the world's caption language back: a colour followed by a shape starts an object mention; size and
/// motion words attach to the nearest mention that still lacks them; "camera pans X" sets the camera.
/// Unknown words are ignored, so the parser also reads loosely phrased prompts.
/// </summary>
public static class CaptionParser
{
    public static ParsedCaption Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = text.ToLowerInvariant()
            .Split([' ', ',', '.', ':', ';', '!', '?', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries);
        var objects = new List<Builder>();
        ObjectSize? pendingSize = null;
        Background? background = null;
        CameraPan? camera = null;
        bool cameraNext = false;
        for (int i = 0; i < words.Length; i++)
        {
            string w = words[i];
            if (w == "camera") { cameraNext = true; continue; }
            if (cameraNext && Direction(w) is { } pan) { camera = pan; cameraNext = false; continue; }
            if (Enum.TryParse<Colour>(w, true, out var colour) && i + 1 < words.Length && TryShape(words[i + 1], out var shape))
            {
                objects.Add(new Builder(colour, shape) { Size = pendingSize });
                pendingSize = null;
                i++;
                continue;
            }
            var current = objects.Count > 0 ? objects[^1] : null;
            if (SizeWord(w) is { } size)
            {
                if (current is { Size: null, Motion: null }) current.Size = size;
                else pendingSize = size;
            }
            else if (BackgroundWord(w) is { } bg) background = bg;
            else if (MotionWord(w) is { } motion && current is { Motion: null } && !cameraNext) current.Motion = motion;
        }
        return new ParsedCaption(objects.Select(b => new ObjectMention(b.Colour, b.Shape, b.Size, b.Motion)).ToArray(), background, camera);
    }

    private sealed class Builder(Colour colour, Shape shape)
    {
        public Colour Colour { get; } = colour;
        public Shape Shape { get; } = shape;
        public ObjectSize? Size { get; set; }
        public Motion? Motion { get; set; }
    }

    private static bool TryShape(string w, out Shape shape) =>
        Enum.TryParse(w.EndsWith('s') && w != "cross" ? w[..^1] : w, true, out shape) && Enum.IsDefined(shape);

    private static CameraPan? Direction(string w) => w switch
    {
        "left" => CameraPan.Left,
        "right" => CameraPan.Right,
        "up" => CameraPan.Up,
        "down" => CameraPan.Down,
        _ => null,
    };

    private static ObjectSize? SizeWord(string w) => w switch
    {
        "small" or "little" => ObjectSize.Small,
        "medium" or "medium-sized" => ObjectSize.Medium,
        "large" or "big" => ObjectSize.Large,
        _ => null,
    };

    private static Background? BackgroundWord(string w) => w switch
    {
        "grey" or "gray" => Background.Grey,
        "slate" => Background.Slate,
        "sandy" or "sand" => Background.Sand,
        "checkered" => Background.Checkered,
        "striped" => Background.Striped,
        "cloudy" => Background.Cloudy,
        _ => null,
    };

    private static Motion? MotionWord(string w) => w switch
    {
        "still" or "place" or "not" or "static" => Motion.Static,
        "left" or "leftward" => Motion.Left,
        "right" or "rightward" => Motion.Right,
        "up" or "upward" or "rises" => Motion.Up,
        "down" or "downward" or "falls" or "sinks" => Motion.Down,
        "diagonally" or "diagonal" => Motion.Diagonal,
        "grows" or "expands" or "bigger" or "larger" => Motion.Grow,
        "shrinks" or "contracts" or "smaller" => Motion.Shrink,
        _ => null,
    };
}
