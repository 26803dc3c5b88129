namespace Seaweed.Data.Store;

/// <summary>
/// Artefacts as files under a root directory. A write goes to a temp file beside the target and is renamed into place;
/// temp names contain '~', which no key may, so they never show up in <see cref="ListAsync"/>.
/// </summary>
public sealed class LocalArtefactStore : IArtefactStore
{
    private const int BufferSize = 1 << 20;

    public LocalArtefactStore(string rootDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootDirectory);
        Root = Path.GetFullPath(rootDirectory);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Location => Root;

    public string Describe(string key) => PathOf(key);

    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) =>
        Task.FromResult(File.Exists(PathOf(key)));

    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        try
        {
            // Renames replace the directory entry, not the inode, so an open stream keeps reading the version it opened.
            Stream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, BufferSize, useAsync: true);
            return Task.FromResult(stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ArtefactNotFoundException(key, Root);
        }
    }

    public async Task<byte[]> ReadAllBytesAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var stream = await OpenReadAsync(key, cancellationToken);
        var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    public async Task WriteAsync(string key, Stream content, ArtefactWriteMode mode, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var path = PathOf(key);
        // Early refusal saves copying a large stream that could never be stored; the move below is the real guard.
        if (mode == ArtefactWriteMode.CreateNew && File.Exists(path)) throw new ArtefactExistsException(key, Root);

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}~{Guid.NewGuid():N}.tmp";
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true))
            {
                await content.CopyToAsync(file, cancellationToken);
                // On disk before the rename, so a crash cannot leave the key naming a truncated file.
                file.Flush(flushToDisk: true);
            }
            Publish(temp, path, key, mode);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken = default)
    {
        ArtefactKey.ValidatePrefix(prefix);
        var slash = prefix.LastIndexOf('/');
        var start = slash < 0 ? Root : PathOf(prefix[..slash]);
        IReadOnlyList<string> keys = !Directory.Exists(start)
            ? []
            : Directory.EnumerateFiles(start, "*", SearchOption.AllDirectories)
                .Select(file => Path.GetRelativePath(Root, file).Replace(Path.DirectorySeparatorChar, '/'))
                .Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && ArtefactKey.IsValid(k))
                .Order(StringComparer.Ordinal)
                .ToList();
        return Task.FromResult(keys);
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        try
        {
            File.Delete(path);
        }
        catch (DirectoryNotFoundException)
        {
            // No parent directory, so no artefact: deleting is idempotent.
        }
        return Task.CompletedTask;
    }

    private void Publish(string temp, string path, string key, ArtefactWriteMode mode)
    {
        if (mode == ArtefactWriteMode.Overwrite)
        {
            File.Move(temp, path, overwrite: true);
            return;
        }
        try
        {
            // Without overwrite .NET links the new name (Unix) or uses MoveFileEx (Windows): fails atomically if taken.
            File.Move(temp, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            throw new ArtefactExistsException(key, Root);
        }
    }

    private string PathOf(string key)
    {
        ArtefactKey.Validate(key);
        return Path.Combine(Root, key.Replace('/', Path.DirectorySeparatorChar));
    }
}
