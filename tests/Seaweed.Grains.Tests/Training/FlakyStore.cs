using Seaweed.Data.Store;
using Seaweed.Training.Checkpoints;

namespace Seaweed.Grains.Tests.Training;

/// <summary>A store whose next <see cref="ManifestFailures"/> checkpoint commits fail with an I/O error.</summary>
internal sealed class FlakyStore(IArtefactStore inner) : IArtefactStore
{
    private int manifestFailures;

    public int ManifestFailures
    {
        get => Volatile.Read(ref manifestFailures);
        set => Volatile.Write(ref manifestFailures, value);
    }

    public string Location => inner.Location;

    public string Describe(string key) => inner.Describe(key);

    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) => inner.ExistsAsync(key, cancellationToken);

    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default) => inner.OpenReadAsync(key, cancellationToken);

    public Task<byte[]> ReadAllBytesAsync(string key, CancellationToken cancellationToken = default) => inner.ReadAllBytesAsync(key, cancellationToken);

    public Task WriteAsync(string key, Stream content, ArtefactWriteMode mode, CancellationToken cancellationToken = default)
    {
        if (key.EndsWith("/" + TrainingCheckpoint.ManifestFile, StringComparison.Ordinal) && Interlocked.Decrement(ref manifestFailures) >= 0)
            throw new IOException($"the store refused {key}");
        return inner.WriteAsync(key, content, mode, cancellationToken);
    }

    public Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken = default) => inner.ListAsync(prefix, cancellationToken);

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, cancellationToken);
}
