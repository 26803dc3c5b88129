using System.Net;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Seaweed.Model;

namespace Seaweed.Silo;

/// <summary>
/// <c>Seaweed:Cluster</c>: how the silo finds its peers. <c>localhost</c> (the default) is one machine: localhost
/// clustering, grain state in files, memory streams and reminders. <c>azure</c> is a cluster of silo processes
/// sharing one Azure Storage account (<see cref="ConnectionString"/>): membership and reminders in tables, grain
/// state and artefacts in blobs, streams in queues.
/// </summary>
public sealed record ClusterSettings
{
    public const string Section = "Seaweed:Cluster";
    public const string LocalhostMode = "localhost";
    public const string AzureMode = "azure";

    public string Mode { get; init; } = LocalhostMode;

    /// <summary>The Azure Storage account of an <c>azure</c> cluster.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>Stays the same across deployments: grain state and reminders are keyed by it.</summary>
    public string ServiceId { get; init; } = "seaweed";

    /// <summary>One deployment: silos with the same cluster id form one cluster.</summary>
    public string ClusterId { get; init; } = "dev";

    public int SiloPort { get; init; } = 11111;
    public int GatewayPort { get; init; } = 30000;

    /// <summary>The address other silos reach this one at (<c>azure</c> mode); unset: this host's first address.</summary>
    public string? AdvertisedAddress { get; init; }

    public bool IsAzure => Mode.Trim().Equals(AzureMode, StringComparison.OrdinalIgnoreCase);

    public IPAddress? Advertised => AdvertisedAddress is null ? null : IPAddress.Parse(AdvertisedAddress);

    public static ClusterSettings Load(IConfiguration configuration) => ConfigSection.Bind<ClusterSettings>(configuration, Section).Validate();

    /// <summary>Throws <see cref="ConfigException"/> naming the first key that cannot work.</summary>
    public ClusterSettings Validate()
    {
        if (Mode?.Trim().ToLowerInvariant() is not (LocalhostMode or AzureMode))
            throw Error(nameof(Mode), $"'{Mode}' is not a cluster mode; use '{LocalhostMode}' or '{AzureMode}'");
        if (string.IsNullOrWhiteSpace(ServiceId)) throw Error(nameof(ServiceId), "must not be empty");
        if (string.IsNullOrWhiteSpace(ClusterId)) throw Error(nameof(ClusterId), "must not be empty");
        CheckPort(nameof(SiloPort), SiloPort);
        CheckPort(nameof(GatewayPort), GatewayPort);
        if (SiloPort == GatewayPort) throw Error(nameof(GatewayPort), $"{GatewayPort} is also the silo port");
        if (AdvertisedAddress is not null && !IPAddress.TryParse(AdvertisedAddress, out _))
            throw Error(nameof(AdvertisedAddress), $"'{AdvertisedAddress}' is not an IP address");
        if (IsAzure)
        {
            if (string.IsNullOrWhiteSpace(ConnectionString)) throw Error(nameof(ConnectionString), $"required when Mode is {AzureMode}");
            try
            {
                _ = new TableServiceClient(ConnectionString);
            }
            catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
            {
                throw Error(nameof(ConnectionString), $"not an Azure Storage connection string ({e.Message})");
            }
        }
        return this;
    }

    private static void CheckPort(string field, int port)
    {
        if (port is < 1 or > 65535) throw Error(field, $"{port} is not a TCP port (1-65535)");
    }

    private static ConfigException Error(string field, string reason) => new($"{Section}:{field}", reason);
}
