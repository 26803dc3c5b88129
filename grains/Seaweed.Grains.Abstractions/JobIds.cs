using System.Globalization;
using Seaweed.Grains.Generation;

namespace Seaweed.Grains;

/// <summary>
/// The one rule for job and story ids, shared by the grains and the HTTP API so that every id one of them issues the
/// other accepts (a story's shot jobs, <c>{story}.shot-{i}</c>, included). An id is one artefact key segment.
/// </summary>
public static class JobIds
{
    public const int MaxLength = 128;

    /// <summary>1 to <paramref name="maxLength"/> ASCII letters, digits or <c>-_.</c>, and not <c>.</c> or <c>..</c>.</summary>
    public static bool IsValid(string id, int maxLength = MaxLength) =>
        id.Length > 0 && id.Length <= maxLength && id is not ("." or "..") && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>What an id must be, for an error message.</summary>
    public static string Rule(int maxLength = MaxLength) => $"must be 1 to {maxLength} ASCII letters, digits or -_. (not '.' or '..')";

    /// <summary>Throws <see cref="GenerationInputException"/> naming <paramref name="field"/> unless <paramref name="id"/> is valid.</summary>
    public static void Validate(string id, string field, int maxLength = MaxLength)
    {
        if (!IsValid(id, maxLength)) throw new GenerationInputException(field, $"'{id}' {Rule(maxLength)}");
    }

    /// <summary>The key of part <paramref name="index"/> of a job (a tile, a shot's segment): <c>{job}/{index}</c>.</summary>
    public static string Part(string job, int index) => $"{job}/{index.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The job and the index a <see cref="Part"/> key names.</summary>
    public static (string Job, int Index) ParsePart(string key, string what)
    {
        int slash = key.LastIndexOf('/');
        if (slash <= 0 || !int.TryParse(key.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int index))
            throw new ArgumentException($"'{key}' is not a {what} key \"{{job}}/{{index}}\"", nameof(key));
        return (key[..slash], index);
    }
}
