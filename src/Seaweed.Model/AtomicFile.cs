namespace Seaweed.Model;

/// <summary>
/// Writes a file under a hidden temporary name in the target's directory and renames it over the target only once
/// complete, so a crash or cancellation never leaves a half-written file under the final name.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes through <paramref name="write"/>, flushed to disk before the rename.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temp = TempSibling(full);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            TryDelete(temp);
        }
    }

    /// <summary>Writes through <paramref name="writeTemp"/>, which is given the temporary path to write.</summary>
    public static async Task WriteAsync(string path, Func<string, Task> writeTemp)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temp = TempSibling(full);
        try
        {
            await writeTemp(temp).ConfigureAwait(false);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            TryDelete(temp);
        }
    }

    public static Task WriteAllBytesAsync(string path, byte[] bytes) => WriteAsync(path, temp => File.WriteAllBytesAsync(temp, bytes));

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
