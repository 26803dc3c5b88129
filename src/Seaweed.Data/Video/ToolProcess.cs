using System.ComponentModel;
using System.Diagnostics;

namespace Seaweed.Data.Video;

/// <summary>
/// Runs one ffmpeg/ffprobe process with stdin, stdout and stderr pumped concurrently, so neither side can block on a
/// full pipe. Cancellation kills the whole process tree. Only the last stderr lines are kept: corrupt input can make
/// ffmpeg log one line per broken packet.
/// </summary>
internal static class ToolProcess
{
    private const int StderrLinesKept = 40;

    public sealed record Result(int ExitCode, IReadOnlyList<string> StderrTail);

    /// <param name="writeStdin">Feeds stdin; stdin is closed afterwards. A broken pipe (the tool exited early) ends it quietly: the exit code tells why.</param>
    /// <param name="readStdout">Consumes stdout; must read to the end.</param>
    public static async Task<Result> RunAsync(
        string executable,
        IEnumerable<string> arguments,
        Func<Stream, CancellationToken, Task>? writeStdin,
        Func<Stream, CancellationToken, Task> readStdout,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var psi = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var a in arguments) psi.ArgumentList.Add(a);

        using var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new FfmpegUnavailableException($"{executable} could not be started ({e.Message}); run deploy/bootstrap.sh or set {Ffmpeg.EnvironmentVariable}", e);
        }

        using var kill = cancellationToken.Register(() => KillTree(process));
        try
        {
            var stderr = ReadTailAsync(process.StandardError);
            var stdin = KillOnFault(process, FeedAsync(process.StandardInput.BaseStream, writeStdin, cancellationToken));
            var stdout = KillOnFault(process, readStdout(process.StandardOutput.BaseStream, cancellationToken));
            try
            {
                await Task.WhenAll(stdin, stdout, stderr).ConfigureAwait(false);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                // A killed process breaks its pipes; the cancellation is the real cause.
            }
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return new Result(process.ExitCode, stderr.Result);
        }
        finally
        {
            // Any failure above (ours, not the tool's) must not leave the tool running.
            if (!HasExited(process)) KillTree(process);
        }
    }

    // A failed pump stops draining its pipe; killing the tool unblocks the other pumps instead of deadlocking.
    private static async Task KillOnFault(Process process, Task pump)
    {
        try
        {
            await pump.ConfigureAwait(false);
        }
        catch
        {
            KillTree(process);
            throw;
        }
    }

    private static async Task FeedAsync(Stream stdin, Func<Stream, CancellationToken, Task>? write, CancellationToken ct)
    {
        try
        {
            if (write is not null) await write(stdin, ct).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // EPIPE: the tool stopped reading (it failed or was killed).
        }
        finally
        {
            try { stdin.Dispose(); } catch (IOException) { }
        }
    }

    private static async Task<IReadOnlyList<string>> ReadTailAsync(StreamReader reader)
    {
        var tail = new Queue<string>();
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (tail.Count == StderrLinesKept) tail.Dequeue();
            tail.Enqueue(line);
        }
        return tail.ToArray();
    }

    private static bool HasExited(Process p)
    {
        try { return p.HasExited; }
        catch (InvalidOperationException) { return true; }
    }

    private static void KillTree(Process p)
    {
        try { p.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { }
        catch (Win32Exception) { }
    }
}
