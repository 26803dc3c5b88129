namespace Seaweed.Data.Store;

/// <summary>
/// Where checkpoints, datasets and videos live; grains pass keys, never bytes. Keys follow <see cref="ArtefactKey"/>.
/// Writes are atomic: a reader sees the old artefact, the new one, or none, never a partial one.
/// </summary>
public interface IArtefactStore
{
    /// <summary>The store's root (a directory or a container URI), for messages.</summary>
    string Location { get; }

    /// <summary>Where <paramref name="key"/> lives, for messages.</summary>
    string Describe(string key);

    Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Opens a snapshot of the artefact. Missing → <see cref="ArtefactNotFoundException"/>.</summary>
    Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Missing → <see cref="ArtefactNotFoundException"/>.</summary>
    Task<byte[]> ReadAllBytesAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores <paramref name="content"/> from its current position to its end. If the stream throws, nothing is
    /// stored under the key. <see cref="ArtefactWriteMode.CreateNew"/> on a taken key → <see cref="ArtefactExistsException"/>.
    /// </summary>
    Task WriteAsync(string key, Stream content, ArtefactWriteMode mode, CancellationToken cancellationToken = default);

    /// <summary>Keys starting with <paramref name="prefix"/> ("" for all), in ordinal order.</summary>
    Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>Removes the artefact; a missing key is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken = default);
}
