using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Seaweed.Data.Net;

namespace Seaweed.Testing;

/// <summary>
/// A private Azurite (blob, queue, table) on free loopback ports, in memory, for one test class or collection.
/// Shared by test projects as a linked source file. A missing Azurite fails the tests rather than skipping them,
/// so a green run always means the Azure code paths ran.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    /// <summary>The emulator's fixed, public development account key.</summary>
    public const string AccountName = "devstoreaccount1";
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly StringBuilder _output = new();
    private Process? _process;
    private string? _workDirectory;

    public int BlobPort { get; private set; }
    public int QueuePort { get; private set; }
    public int TablePort { get; private set; }

    /// <summary>The explicit form; <c>UseDevelopmentStorage=true</c> would pin the default ports.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{AccountName};" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/{AccountName};";

    public async Task InitializeAsync()
    {
        var script = Path.Combine(Repository.Root(), "deploy", "azurite", "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
            throw new InvalidOperationException($"Azurite is not installed ({script} is missing). Run deploy/bootstrap.sh once on this machine.");

        // In-memory persistence refuses --location; the scratch working directory catches anything it still writes.
        _workDirectory = Directory.CreateTempSubdirectory("seaweed-azurite-").FullName;
        // Free ports are probed, then released; another process can take one in between, so retry a few times.
        for (var attempt = 1; ; attempt++)
        {
            (BlobPort, QueuePort, TablePort) = (LoopbackPort.Free(), LoopbackPort.Free(), LoopbackPort.Free());
            _process = Start(script);
            if (await WaitForBlobPortAsync()) return;
            var exited = _process.HasExited ? $"exited with code {_process.ExitCode}" : $"did not accept connections within {StartTimeout.TotalSeconds:0} s";
            Stop();
            if (attempt == 3)
                throw new InvalidOperationException($"Azurite on 127.0.0.1:{BlobPort} {exited}. Output:\n{_output}");
        }
    }

    public Task DisposeAsync()
    {
        Stop();
        if (_workDirectory is not null && Directory.Exists(_workDirectory)) Directory.Delete(_workDirectory, recursive: true);
        return Task.CompletedTask;
    }

    private Process Start(string script)
    {
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = _workDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     script, "--silent", "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry",
                     "--blobHost", "127.0.0.1", "--blobPort", BlobPort.ToString(),
                     "--queueHost", "127.0.0.1", "--queuePort", QueuePort.ToString(),
                     "--tableHost", "127.0.0.1", "--tablePort", TablePort.ToString(),
                 })
        {
            info.ArgumentList.Add(arg);
        }
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"Cannot start node for Azurite ({e.Message}). Run deploy/bootstrap.sh once on this machine.", e);
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task<bool> WaitForBlobPortAsync()
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline && !_process!.HasExited)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, BlobPort);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        return false;
    }

    private void Stop()
    {
        if (_process is null) return;
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        catch (InvalidOperationException)
        {
            // Already gone: nothing left to stop.
        }
        _process.Dispose();
        _process = null;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }
}
