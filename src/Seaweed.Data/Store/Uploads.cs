using System.Security.Cryptography;

namespace Seaweed.Data.Store;

/// <summary>
/// Uploaded inputs (a first frame, a video to continue), stored under the hash of their bytes: the same file is
/// stored once however often, or however concurrently, it is given, and no upload is ever deleted, so a request that
/// is retried or refused can never take away the input another accepted request reads.
/// </summary>
public static class Uploads
{
    public const string Prefix = "uploads/";

    /// <summary>The key of <paramref name="bytes"/>: <c>uploads/{first 128 bits of SHA-256, hex}{extension}</c>.</summary>
    public static string Key(ReadOnlySpan<byte> bytes, string extension) =>
        $"{Prefix}{Convert.ToHexStringLower(SHA256.HashData(bytes))[..32]}{extension}";

    /// <summary>Stores <paramref name="bytes"/> under its <see cref="Key"/> unless it is there already; returns the key.</summary>
    public static async Task<string> StoreAsync(IArtefactStore store, byte[] bytes, string extension, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        string key = Key(bytes, extension);
        try
        {
            await store.WriteAsync(key, new MemoryStream(bytes, writable: false), ArtefactWriteMode.CreateNew, cancellationToken).ConfigureAwait(false);
        }
        catch (ArtefactExistsException)
        {
            // The same bytes, stored by an earlier or concurrent request.
        }
        return key;
    }
}
