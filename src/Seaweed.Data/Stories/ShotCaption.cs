using Seaweed.Data.World;
using Seaweed.Model;

namespace Seaweed.Data.Stories;

/// <summary>A shot's caption in the world's caption language, and what the story had to assume to write it.</summary>
public sealed record ComposedCaption(string Text, IReadOnlyList<string> Notes);

/// <summary>
/// Joins the story's description with a shot's prompt into one caption of the language the model was trained on,
/// so every shot names its characters the same way. The description is the cast and setting: each object's colour,
/// shape and size, and the background. The prompt says what happens: which objects the shot shows (by colour, as
/// the world never gives two objects one colour), how they move, and the camera. The cast's shape and size win over
/// the prompt's, so a character looks the same in every shot; a prompt that names no object shows the whole cast.
/// </summary>
public static class ShotCaption
{
    /// <summary>The world shows at most this many objects at once.</summary>
    public const int MaxObjects = 2;

    /// <param name="field">The prompt's name in errors, e.g. <c>shots[2].prompt</c>.</param>
    public static ComposedCaption Compose(string description, string prompt, string field = "prompt")
    {
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(prompt);
        var cast = CaptionParser.Parse(description);
        var shot = CaptionParser.Parse(prompt);
        if (cast.Objects.Count > MaxObjects)
            throw new ConfigException("description", $"the cast has {cast.Objects.Count} objects; the world shows at most {MaxObjects}");
        var notes = new List<string>();
        if (cast.Objects.Count == 0 && shot.Objects.Count == 0)
        {
            // Nothing to hold constant: the words go to the model as written, and the rephraser names what it cannot place.
            notes.Add("neither the description nor the prompt names a coloured shape; the two are joined as written");
            return new ComposedCaption($"{description.Trim().TrimEnd('.')}. {prompt.Trim()}", notes);
        }

        var shown = shot.Objects.Count == 0 ? cast.Objects.Select(o => o with { Motion = null }).ToList() : [.. shot.Objects];
        if (shot.Objects.Count == 0) notes.Add("the prompt names no object, so the shot shows the whole cast");
        var objects = new List<ObjectContent>();
        foreach (var mention in shown)
        {
            if (objects.Any(o => o.Colour == mention.Colour)) continue;
            var member = cast.Objects.FirstOrDefault(c => c.Colour == mention.Colour);
            if (member is not null && member.Shape != mention.Shape)
                notes.Add($"the {Name(mention.Colour)} {Name(mention.Shape)} is the description's {Name(member.Colour)} {Name(member.Shape)}");
            else if (member is null && cast.Objects.Count > 0)
                notes.Add($"the {Name(mention.Colour)} {Name(mention.Shape)} is not in the description");
            var size = member?.Size ?? mention.Size;
            if (size is null) notes.Add($"no size for the {Name(mention.Colour)} {Name(mention.Shape)}: medium");
            var motion = mention.Motion ?? member?.Motion;
            if (motion is null) notes.Add($"no motion for the {Name(mention.Colour)} {Name(mention.Shape)}: it stays still");
            objects.Add(new ObjectContent(mention.Colour, member?.Shape ?? mention.Shape, size ?? ObjectSize.Medium, motion ?? Motion.Static));
        }
        if (objects.Count > MaxObjects)
            throw new ConfigException(field, $"the shot shows {objects.Count} objects ({string.Join(", ", objects.Select(o => $"{Name(o.Colour)} {Name(o.Shape)}"))}); the world shows at most {MaxObjects}");

        var background = cast.Background ?? shot.Background;
        if (background is null) notes.Add("no background in the description: grey");
        var content = new SceneContent(objects[0], objects.Count > 1 ? objects[1] : null, background ?? Background.Grey, shot.Camera ?? cast.Camera ?? CameraPan.None);
        return new ComposedCaption(CaptionGrammar.Detailed(content, variant: 0), notes);
    }

    private static string Name<T>(T value) where T : struct, Enum => CaptionGrammar.Name(value);
}
