using System.Security.Cryptography;
using System.Text;

namespace Seaweed.Silo.Api;

/// <summary>
/// The configured API keys, kept as SHA-256 digests. A presented key is hashed and compared with every digest in
/// constant time, so neither the time to answer nor an early exit tells how much of a key was right.
/// </summary>
internal sealed class ApiKeys(IEnumerable<string> keys)
{
    private readonly byte[][] digests = keys.Select(Digest).ToArray();

    public bool Accepts(string presented) => Matches(Digest(presented));

    /// <summary>The digest (hex) of <paramref name="presented"/> when it is a configured key, else null.</summary>
    public string? DigestOf(string presented)
    {
        var digest = Digest(presented);
        return Matches(digest) ? Convert.ToHexString(digest) : null;
    }

    /// <summary>Whether <paramref name="hex"/> (from <see cref="DigestOf"/>) is still the digest of a configured key.</summary>
    public bool IsConfigured(string hex)
    {
        try
        {
            var digest = Convert.FromHexString(hex);
            return digest.Length == SHA256.HashSizeInBytes && Matches(digest);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private bool Matches(byte[] digest)
    {
        bool match = false;
        foreach (var key in digests) match |= CryptographicOperations.FixedTimeEquals(digest, key);
        return match;
    }

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
