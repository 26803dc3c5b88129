namespace Seaweed.Data.Store;

/// <summary>A <see cref="ArtefactWriteMode.CreateNew"/> write found <see cref="Key"/> already stored; the stored bytes are untouched.</summary>
public sealed class ArtefactExistsException(string key, string location)
    : IOException($"Artefact '{key}' already exists at {location}")
{
    public string Key { get; } = key;
}
