using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Seaweed.Data.Store;

/// <summary>
/// Artefacts as block blobs named by their key. A blob becomes visible only when its upload commits, so readers never
/// see a partial artefact; <see cref="ArtefactWriteMode.CreateNew"/> commits with <c>If-None-Match: *</c>.
/// </summary>
public sealed class BlobArtefactStore : IArtefactStore
{
    private readonly BlobContainerClient _container;
    private readonly SemaphoreSlim _containerGate = new(1, 1);
    private volatile bool _containerReady;

    public BlobArtefactStore(BlobContainerClient container)
    {
        ArgumentNullException.ThrowIfNull(container);
        _container = container;
    }

    public string Location => _container.Uri.ToString();

    public string Describe(string key) => Blob(key).Uri.ToString();

    public async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default)
    {
        var blob = Blob(key);
        await EnsureContainerAsync(cancellationToken);
        return (await blob.ExistsAsync(cancellationToken)).Value;
    }

    public async Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        var blob = Blob(key);
        await EnsureContainerAsync(cancellationToken);
        try
        {
            // One GET: the stream is the version that existed when it started, unlike the chunked OpenRead.
            var download = await blob.DownloadStreamingAsync(cancellationToken: cancellationToken);
            return download.Value.Content;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new ArtefactNotFoundException(key, Location);
        }
    }

    public async Task<byte[]> ReadAllBytesAsync(string key, CancellationToken cancellationToken = default)
    {
        var blob = Blob(key);
        await EnsureContainerAsync(cancellationToken);
        try
        {
            var download = await blob.DownloadContentAsync(cancellationToken);
            return download.Value.Content.ToArray();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new ArtefactNotFoundException(key, Location);
        }
    }

    public async Task WriteAsync(string key, Stream content, ArtefactWriteMode mode, CancellationToken cancellationToken = default)
    {
        var blob = Blob(key);
        ArgumentNullException.ThrowIfNull(content);
        await EnsureContainerAsync(cancellationToken);
        var options = new BlobUploadOptions
        {
            Conditions = mode == ArtefactWriteMode.CreateNew ? new BlobRequestConditions { IfNoneMatch = ETag.All } : null,
        };
        try
        {
            await blob.UploadAsync(content, options, cancellationToken);
        }
        // A single Put Blob answers 409 BlobAlreadyExists; a staged upload's Put Block List answers 412.
        catch (RequestFailedException e) when (mode == ArtefactWriteMode.CreateNew && e.Status is 409 or 412)
        {
            throw new ArtefactExistsException(key, Location);
        }
    }

    public async Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken = default)
    {
        ArtefactKey.ValidatePrefix(prefix);
        await EnsureContainerAsync(cancellationToken);
        var keys = new List<string>();
        await foreach (var item in _container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken))
        {
            if (ArtefactKey.IsValid(item.Name)) keys.Add(item.Name);
        }
        keys.Sort(StringComparer.Ordinal);
        return keys;
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var blob = Blob(key);
        await EnsureContainerAsync(cancellationToken);
        await blob.DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken);
    }

    private BlobClient Blob(string key)
    {
        ArtefactKey.Validate(key);
        return _container.GetBlobClient(key);
    }

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (_containerReady) return;
        await _containerGate.WaitAsync(cancellationToken);
        try
        {
            if (_containerReady) return;
            await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            _containerReady = true;
        }
        finally
        {
            _containerGate.Release();
        }
    }
}
