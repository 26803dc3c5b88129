using Azure.Storage.Blobs;
using Seaweed.Model;

namespace Seaweed.Data.Store;

public static class ArtefactStoreFactory
{
    /// <summary>Validates <paramref name="options"/> and builds the store it describes.</summary>
    public static IArtefactStore Create(ArtefactStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.Kind.Trim().Equals(ArtefactStoreOptions.LocalKind, StringComparison.OrdinalIgnoreCase))
            return new LocalArtefactStore(options.Path);

        BlobServiceClient service;
        try
        {
            service = new BlobServiceClient(options.ConnectionString);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new ConfigException($"{ArtefactStoreOptions.Section}:{nameof(options.ConnectionString)}", $"not an Azure Storage connection string ({e.Message})");
        }
        return new BlobArtefactStore(service.GetBlobContainerClient(options.Container));
    }
}
