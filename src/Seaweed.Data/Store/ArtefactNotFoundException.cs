namespace Seaweed.Data.Store;

/// <summary>Nothing is stored under <see cref="Key"/>; <see cref="FileNotFoundException.FileName"/> is the key too.</summary>
public sealed class ArtefactNotFoundException(string key, string location)
    : FileNotFoundException($"No artefact '{key}' at {location}", key)
{
    public string Key { get; } = key;
}
