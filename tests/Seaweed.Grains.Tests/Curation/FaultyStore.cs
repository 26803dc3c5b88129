using System.Collections.Concurrent;
using Seaweed.Data.Store;

namespace Seaweed.Grains.Tests.Curation;

/// <summary>An artefact store that fails chosen writes once each, as a flaky disk or a dying silo would.</summary>
internal sealed class FaultyStore(IArtefactStore inner) : IArtefactStore
{
    private readonly ConcurrentDictionary<string, bool> failOnce = new(StringComparer.Ordinal);
    private int failures;

    public int Failures => failures;

    /// <summary>The next write of <paramref name="key"/> throws an IOException; later writes pass.</summary>
    public void FailNextWrite(string key) => failOnce[key] = true;

    public string Location => inner.Location;
    public string Describe(string key) => inner.Describe(key);
    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) => inner.ExistsAsync(key, cancellationToken);
    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default) => inner.OpenReadAsync(key, cancellationToken);
    public Task<byte[]> ReadAllBytesAsync(string key, CancellationToken cancellationToken = default) => inner.ReadAllBytesAsync(key, cancellationToken);
    public Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken = default) => inner.ListAsync(prefix, cancellationToken);
    public Task DeleteAsync(string key, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, cancellationToken);

    public Task WriteAsync(string key, Stream content, ArtefactWriteMode mode, CancellationToken cancellationToken = default)
    {
        if (failOnce.TryRemove(key, out _))
        {
            Interlocked.Increment(ref failures);
            throw new IOException($"injected failure writing {key}");
        }
        return inner.WriteAsync(key, content, mode, cancellationToken);
    }
}
