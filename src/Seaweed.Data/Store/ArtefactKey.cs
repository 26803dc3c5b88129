namespace Seaweed.Data.Store;

/// <summary>
/// Keys are relative, slash-separated paths made of ASCII letters, digits and <c>-_.</c>, so the same key is a valid
/// file path on every OS and a valid blob name, and can never climb out of the store root.
/// </summary>
public static class ArtefactKey
{
    public static void Validate(string key, string paramName = "key")
    {
        ArgumentNullException.ThrowIfNull(key, paramName);
        if (Problem(key, isPrefix: false) is { } problem) throw new ArgumentException(problem, paramName);
    }

    /// <summary>A list prefix: empty, or the start of a key (it may end inside a segment or with '/').</summary>
    public static void ValidatePrefix(string prefix, string paramName = "prefix")
    {
        ArgumentNullException.ThrowIfNull(prefix, paramName);
        if (Problem(prefix, isPrefix: true) is { } problem) throw new ArgumentException(problem, paramName);
    }

    internal static bool IsValid(string key) => Problem(key, isPrefix: false) is null;

    private static string? Problem(string value, bool isPrefix)
    {
        var what = isPrefix ? "prefix" : "key";
        if (value.Length == 0) return isPrefix ? null : "Artefact key is empty";
        foreach (var c in value)
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/') continue;
            var shown = c == '\\' ? "a backslash" : char.IsControl(c) ? $"U+{(int)c:X4}" : $"'{c}'";
            return $"Artefact {what} '{value}' contains {shown}; allowed are ASCII letters, digits and -_./";
        }
        if (value[0] == '/') return $"Artefact {what} '{value}' starts with '/'; keys are relative";
        var segments = value.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            // A prefix may stop anywhere inside its last segment, even right after a '/'.
            if (isPrefix && i == segments.Length - 1) break;
            if (segments[i].Length == 0) return $"Artefact {what} '{value}' has an empty segment";
            if (segments[i] is "." or "..") return $"Artefact {what} '{value}' has a '{segments[i]}' segment";
        }
        return null;
    }
}
