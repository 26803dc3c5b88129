using Seaweed.Model;

namespace Seaweed.Data.Store;

/// <summary>
/// The <c>Seaweed:Artefacts</c> configuration section. A plain class so this library stays free of
/// Microsoft.Extensions.Configuration; hosts bind it and hand it to <see cref="ArtefactStoreFactory.Create"/>.
/// </summary>
public sealed class ArtefactStoreOptions
{
    public const string Section = "Seaweed:Artefacts";
    public const string LocalKind = "local";
    public const string AzureKind = "azure";

    /// <summary><c>local</c> (a directory) or <c>azure</c> (a blob container).</summary>
    public string Kind { get; set; } = LocalKind;

    /// <summary>Root directory for <c>local</c>; relative paths resolve against the current directory.</summary>
    public string Path { get; set; } = System.IO.Path.Combine(".seaweed", "artefacts");

    /// <summary>Azure Storage connection string for <c>azure</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Blob container for <c>azure</c>.</summary>
    public string Container { get; set; } = "seaweed";

    /// <summary>Throws <see cref="ConfigException"/> naming the first field that cannot work.</summary>
    public void Validate()
    {
        switch (Kind?.Trim().ToLowerInvariant())
        {
            case LocalKind:
                if (string.IsNullOrWhiteSpace(Path)) throw Error(nameof(Path), "required when Kind is local");
                break;
            case AzureKind:
                if (string.IsNullOrWhiteSpace(ConnectionString)) throw Error(nameof(ConnectionString), "required when Kind is azure");
                if (!IsContainerName(Container))
                    throw Error(nameof(Container), $"'{Container}' is not a blob container name: 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit");
                break;
            default:
                throw Error(nameof(Kind), $"'{Kind}' is not a store kind; use '{LocalKind}' or '{AzureKind}'");
        }
    }

    private static ConfigException Error(string field, string reason) => new($"{Section}:{field}", reason);

    private static bool IsContainerName(string? name) =>
        name is { Length: >= 3 and <= 63 }
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
        && name[0] != '-' && name[^1] != '-'
        && !name.Contains("--", StringComparison.Ordinal);
}
