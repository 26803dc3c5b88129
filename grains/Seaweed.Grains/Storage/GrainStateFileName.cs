using System.Security.Cryptography;
using System.Text;

namespace Seaweed.Grains.Storage;

/// <summary>
/// Turns a state name or grain id into one safe path segment. Only <c>a-z 0-9 - _</c> and non-leading dots stay as
/// they are; every other UTF-8 byte (upper case included, for case-insensitive file systems) becomes <c>%XX</c>, so
/// distinct names stay distinct files and no name can climb out of the root.
/// </summary>
internal static class GrainStateFileName
{
    // Leaves room for ".json" and the temp suffix inside the common 255-byte limit.
    private const int MaxLength = 180;
    private const int KeptBeforeHash = 120;

    public static string Escape(string name)
    {
        var escaped = new StringBuilder(name.Length);
        var bytes = Encoding.UTF8.GetBytes(name);
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            var plain = b is >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9' or (byte)'-' or (byte)'_'
                        || (b == (byte)'.' && i > 0);
            if (plain) escaped.Append((char)b);
            else escaped.Append('%').Append(b.ToString("X2"));
        }
        if (escaped.Length <= MaxLength) return escaped.ToString();

        // '~' never comes out of the escaping above, so a shortened name cannot equal a plain one.
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(escaped.ToString())))[..32];
        return $"{escaped.ToString(0, KeptBeforeHash)}~{hash}";
    }
}
