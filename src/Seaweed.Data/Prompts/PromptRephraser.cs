using System.Text;
using Seaweed.Data.World;

namespace Seaweed.Data.Prompts;

/// <summary>
/// A prompt in the caption language: <see cref="Caption"/> is what the text encoder reads; <see cref="Content"/>
/// what it states (null when no coloured shape could be read); <see cref="Changes"/> what was rewritten, and
/// <see cref="Warnings"/> one line per word or mention that could not be placed and was left out.
/// </summary>
public sealed record RephrasedPrompt(string Caption, SceneContent? Content, IReadOnlyList<string> Changes, IReadOnlyList<string> Warnings);

/// <summary>
/// Turns what users type into the caption language the model was trained on (<see cref="CaptionGrammar"/>):
/// synonyms become the world's words ("crimson ball" → "red circle"), request phrasing and filler go ("please show
/// me a video of"), attributes after a noun move before it ("a ball, red" → "a red circle"), motion phrasings become
/// the grammar's ("goes up" → "moves up"), and casing and punctuation follow the grammar. A prompt naming sizes or a
/// background becomes a detailed caption (an unnamed size is medium, an unnamed background grey); otherwise the
/// short, action-centric caption. Never throws on any text.
/// </summary>
public static class PromptRephraser
{
    /// <summary>The world shows at most this many shapes in one clip.</summary>
    public const int MaxObjects = 2;

    public static RephrasedPrompt Rephrase(string? prompt)
    {
        var words = Words(prompt ?? "");
        var reading = new Reading();
        reading.Read(PromptLexicon.Read(words));
        return reading.Finish(prompt ?? "", words);
    }

    /// <summary>
    /// Lower-cased runs of letters and digits; apostrophes vanish ("doesn't" → "doesnt"); punctuation that ends a
    /// clause is kept as <see cref="PromptLexicon.Pause"/>, so no phrase is read across it; anything else separates.
    /// </summary>
    internal static List<string> Words(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        foreach (var ch in text)
        {
            if (char.IsLetterOrDigit(ch)) word.Append(char.ToLowerInvariant(ch));
            else if (ch is '\'' or '’') continue;
            else
            {
                if (word.Length > 0) words.Add(word.ToString());
                word.Clear();
                if (ch is ',' or ';' or ':' or '.' or '!' or '?' && words.Count > 0 && words[^1] != PromptLexicon.Pause) words.Add(PromptLexicon.Pause);
            }
        }
        if (word.Length > 0) words.Add(word.ToString());
        return words;
    }

    /// <summary>One object as the prompt mentions it; null fields were not stated.</summary>
    private sealed class Mention
    {
        public Term? Colour { get; set; }
        public Term? Shape { get; set; }
        public Term? Size { get; set; }
        public Term? Motion { get; set; }
        /// <summary>An attribute came after the noun ("a ball, red").</summary>
        public bool Reordered { get; set; }

        public string Describe() => string.Join(' ', new[] { Size, Colour, Shape }.Where(t => t is not null).Select(t => t!.Words));
    }

    private sealed class Reading
    {
        private readonly List<Mention> mentions = [];
        private readonly List<string> changes = [];
        private readonly List<string> warnings = [];
        private readonly List<string> dropped = [];
        private Mention pending = new();
        private Term? background;
        private Term? camera;
        private bool cameraNext;
        /// <summary>The previous meaningful term belongs to the last mention, with no "and" since.</summary>
        private bool afterNoun;
        /// <summary>The previous meaningful term was an attribute placed after the last mention's noun.</summary>
        private bool afterAttribute;

        public void Read(List<Term> terms)
        {
            foreach (var term in terms)
            {
                if (term.Kind is not (TermKind.Filler or TermKind.Separator)) afterAttribute = false;
                switch (term.Kind)
                {
                    case TermKind.Colour or TermKind.Size:
                        Attribute(term);
                        break;
                    case TermKind.Shape:
                        pending.Shape = term;
                        mentions.Add(pending);
                        pending = new Mention();
                        afterNoun = true;
                        break;
                    case TermKind.StillCamera:
                        camera = term with { Direction = CameraPan.None };
                        break;
                    case TermKind.Direction when cameraNext:
                        camera = term;
                        cameraNext = false;
                        break;
                    case TermKind.Motion or TermKind.Direction:
                        Motion(term.Kind == TermKind.Motion ? term : term with { Motion = Enum.Parse<Motion>(term.Direction.ToString()) });
                        break;
                    case TermKind.Camera:
                        cameraNext = true;
                        break;
                    case TermKind.Background:
                        if (background is { } b && b.Background != term.Background)
                            warnings.Add($"'{term.Words}': the background is already {Name(b.Background)}; left out");
                        else background = term;
                        break;
                    case TermKind.Separator:
                        // "a box that is yellow and small": an attribute after the noun may follow another.
                        afterNoun = afterAttribute;
                        break;
                    case TermKind.Filler:
                        if (!PromptLexicon.Glue.Contains(term.Words)) dropped.Add(term.Words);
                        break;
                    default:
                        warnings.Add($"'{term.Words}' is not a word of the world's captions; left out");
                        break;
                }
            }
        }

        /// <summary>A colour or size right after a mention's noun that lacks one is that mention's; otherwise the next noun's.</summary>
        private void Attribute(Term term)
        {
            bool colour = term.Kind == TermKind.Colour;
            if (afterNoun && mentions[^1] is var last && (colour ? last.Colour : last.Size) is null)
            {
                if (colour) last.Colour = term;
                else last.Size = term;
                last.Reordered = true;
                afterAttribute = true;
                return;
            }
            afterNoun = false;
            var taken = colour ? pending.Colour : pending.Size;
            if (taken is not null) warnings.Add($"'{taken.Words}' names no shape; left out");
            if (colour) pending.Colour = term;
            else pending.Size = term;
        }

        private void Motion(Term term)
        {
            var target = mentions.Count > 0 ? mentions[^1] : pending;
            if (target.Motion is { } had && had.Motion != term.Motion)
                warnings.Add($"'{term.Words}': {(target.Shape is null ? "the first shape" : $"the {target.Describe()}")} already {CaptionGrammar.MotionPhrase(had.Motion, 0)}; left out");
            else target.Motion ??= term;
        }

        public RephrasedPrompt Finish(string prompt, List<string> words)
        {
            if (pending.Colour is { } c) warnings.Add($"'{c.Words}' names no shape; left out");
            if (pending.Size is { } s) warnings.Add($"'{s.Words}' names no shape; left out");
            if (cameraNext && camera is null) warnings.Add("'camera' says no direction to pan; left out");
            var objects = new List<Mention>();
            foreach (var m in mentions)
            {
                if (m.Colour is null) warnings.Add($"'{m.Shape!.Words}' has no colour; left out");
                else if (objects.Count == MaxObjects) warnings.Add($"'{m.Describe()}': the world shows at most {MaxObjects} shapes; left out");
                else objects.Add(m);
            }
            if (dropped.Count > 0) changes.Add($"dropped {string.Join(", ", dropped.Distinct().Select(w => $"'{w}'"))}");
            if (objects.Count == 0)
            {
                warnings.Add("no coloured shape could be read from the prompt, so the video follows no caption the model was trained on");
                string fallback = string.Join(' ', words.Where(w => w != PromptLexicon.Pause));
                return new RephrasedPrompt(fallback.Length > 0 ? fallback : prompt.Trim(), null, changes, warnings);
            }

            bool detailed = background is not null || objects.Any(o => o.Size is not null);
            var content = new SceneContent(Object(objects[0], detailed), objects.Count > 1 ? Object(objects[1], detailed) : null,
                background?.Background ?? World.Background.Grey, camera?.Direction ?? CameraPan.None);
            if (detailed && background is null) changes.Add($"no background named: {Name(World.Background.Grey)}");
            string caption = detailed ? CaptionGrammar.Detailed(content, 0) : CaptionGrammar.Short(content);
            return new RephrasedPrompt(caption, content, changes, warnings);
        }

        private ObjectContent Object(Mention m, bool detailed)
        {
            var o = new ObjectContent(m.Colour!.Colour, m.Shape!.Shape, m.Size?.Size ?? ObjectSize.Medium, m.Motion?.Motion);
            Synonym(m.Colour, Name(o.Colour));
            Synonym(m.Shape, Name(o.Shape));
            if (m.Size is not null) Synonym(m.Size, Name(o.Size));
            else if (detailed) changes.Add($"no size named for the {Name(o.Colour)} {Name(o.Shape)}: {Name(o.Size)}");
            if (m.Motion is { } motion) Synonym(motion, CaptionGrammar.MotionPhrase(motion.Motion, 0));
            if (m.Reordered) changes.Add($"'{m.Shape.Words} … {string.Join(' ', new[] { m.Size, m.Colour }.Where(t => t is not null).Select(t => t!.Words))}' → '{(m.Size is null ? "" : Name(o.Size) + " ")}{Name(o.Colour)} {Name(o.Shape)}'");
            return o;
        }

        private void Synonym(Term term, string canonical)
        {
            if (term.Words != canonical && !canonical.Split(' ').Contains(term.Words)) changes.Add($"'{term.Words}' → '{canonical}'");
        }

        private static string Name<T>(T value) where T : struct, Enum => CaptionGrammar.Name(value);
    }
}
