using Seaweed.Data.Store;

namespace Seaweed.Grains.Tests.Stories;

/// <summary>
/// A store that holds the first write of one key until <see cref="Dispose"/>, then fails it: the writer is a silo the
/// test kills meanwhile, whose write must never land. Every later write of the key goes through.
/// </summary>
internal sealed class HoldingStore(IArtefactStore inner, string key) : IArtefactStore, IDisposable
{
    private readonly TaskCompletionSource held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int writes;

    /// <summary>Completes when the held write has begun.</summary>
    public Task Held => held.Task;

    public string Location => inner.Location;
    public string Describe(string k) => inner.Describe(k);
    public Task<bool> ExistsAsync(string k, CancellationToken cancellationToken = default) => inner.ExistsAsync(k, cancellationToken);
    public Task<Stream> OpenReadAsync(string k, CancellationToken cancellationToken = default) => inner.OpenReadAsync(k, cancellationToken);
    public Task<byte[]> ReadAllBytesAsync(string k, CancellationToken cancellationToken = default) => inner.ReadAllBytesAsync(k, cancellationToken);
    public Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken = default) => inner.ListAsync(prefix, cancellationToken);
    public Task DeleteAsync(string k, CancellationToken cancellationToken = default) => inner.DeleteAsync(k, cancellationToken);

    public async Task WriteAsync(string k, Stream content, ArtefactWriteMode mode, CancellationToken cancellationToken = default)
    {
        if (k == key && Interlocked.Increment(ref writes) == 1)
        {
            held.TrySetResult();
            await released.Task;
            throw new IOException($"the silo writing {k} died");
        }
        await inner.WriteAsync(k, content, mode, cancellationToken);
    }

    public void Dispose() => released.TrySetResult();
}
