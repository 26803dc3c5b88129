using System.Net;
using System.Net.Sockets;

namespace Seaweed.Data.Net;

/// <summary>Ports for servers started on this machine (silos, emulators, test hosts).</summary>
public static class LoopbackPort
{
    /// <summary>A loopback port free now, as the OS picks it for a listener on port 0; another process may take it
    /// before the caller binds it, which a caller on a busy machine retries.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
