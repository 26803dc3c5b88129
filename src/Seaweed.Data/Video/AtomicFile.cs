namespace Seaweed.Data.Video;

/// <summary>
/// Writes a file under a hidden temporary name in the target's directory and renames it over the target only once
/// complete, so a crash or cancellation never leaves a half-written file under the final name.
/// </summary>
internal static class AtomicFile
{
    public static async Task WriteAsync(string path, Func<string, Task> writeTemp)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        string temp = TempSibling(full);
        try
        {
            await writeTemp(temp).ConfigureAwait(false);
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Runs a synchronous, CPU-bound encoder on the thread pool into the temporary file.</summary>
    public static Task WriteStreamAsync(string path, Action<Stream> write, CancellationToken cancellationToken) =>
        WriteAsync(path, temp => Task.Run(() =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            write(fs);
        }, cancellationToken));

    /// <summary>A hidden sibling of <paramref name="fullPath"/> ending in .tmp (ignored by git, swept on failure).</summary>
    public static string TempSibling(string fullPath) =>
        Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");

    public static void TryDelete(string path)
    {
        try
        {
            if (File.Exists(path)) File.Delete(path);
            else if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
