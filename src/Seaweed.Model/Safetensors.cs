using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace Seaweed.Model;

/// <summary>A safetensors file that cannot be read; the message names the file and, where known, the tensor.</summary>
public sealed class SafetensorsException(string message) : IOException(message);

/// <summary>
/// The public safetensors layout: u64 little-endian header length N, N bytes of UTF-8 JSON
/// {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {str: str}}, then the raw little-endian
/// tensor bytes, offsets relative to the end of the header. Writes go to a temporary file renamed when complete.
/// </summary>
public static class Safetensors
{
    /// <summary>Headers above this are refused (the reference implementation's limit).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    private static readonly Dictionary<string, ScalarType> DTypes = new()
    {
        ["F64"] = ScalarType.Float64, ["F32"] = ScalarType.Float32, ["F16"] = ScalarType.Float16,
        ["BF16"] = ScalarType.BFloat16, ["I64"] = ScalarType.Int64, ["I32"] = ScalarType.Int32,
        ["I16"] = ScalarType.Int16, ["I8"] = ScalarType.Int8, ["U8"] = ScalarType.Byte, ["BOOL"] = ScalarType.Bool,
    };

    private static string DTypeName(ScalarType type) =>
        DTypes.FirstOrDefault(kv => kv.Value == type).Key ?? throw new ArgumentException($"dtype {type} has no safetensors name");

    private static int ElementSize(ScalarType type) => type switch
    {
        ScalarType.Float64 or ScalarType.Int64 => 8,
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Int16 => 2,
        _ => 1,
    };

    public static void Save(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null) =>
        AtomicFile.Write(path, stream => Write(stream, tensors, metadata));

    /// <summary>Writes the file's bytes to <paramref name="stream"/> (for stores that take streams, not paths).</summary>
    public static void Write(Stream stream, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var entries = tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
            header["__metadata__"] = new JsonObject(metadata.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value))));
        long offset = 0;
        foreach (var (name, t) in entries)
        {
            long size = t.numel() * ElementSize(t.dtype);
            header[name] = new JsonObject
            {
                ["dtype"] = DTypeName(t.dtype),
                ["shape"] = new JsonArray(t.shape.Select(d => (JsonNode?)JsonValue.Create(d)).ToArray()),
                ["data_offsets"] = new JsonArray(JsonValue.Create(offset), JsonValue.Create(offset + size)),
            };
            offset += size;
        }
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (json.Length + 7) / 8 * 8;

        Span<byte> len = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)padded);
        stream.Write(len);
        stream.Write(json);
        for (int i = json.Length; i < padded; i++) stream.WriteByte((byte)' ');
        foreach (var (_, t) in entries)
        {
            if (t.numel() == 0) continue;
            using var scope = NewDisposeScope(); // detach, cpu and contiguous each make a tensor
            stream.Write(t.detach().cpu().contiguous().bytes);
        }
    }

    public static Dictionary<string, Tensor> Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"no safetensors file at {path}", path);
        using var stream = File.OpenRead(path);
        return Load(stream, path);
    }

    public static Dictionary<string, Tensor> Load(Stream stream, string source)
    {
        long length = stream.Length;
        if (length < 8) throw new SafetensorsException($"{source}: truncated: {length} bytes, too short for the 8-byte header length");
        Span<byte> lenBytes = stackalloc byte[8];
        stream.ReadExactly(lenBytes);
        ulong headerLen = BinaryPrimitives.ReadUInt64LittleEndian(lenBytes);
        if (headerLen > MaxHeaderBytes)
            throw new SafetensorsException($"{source}: header length {headerLen} exceeds the {MaxHeaderBytes}-byte limit");
        if ((long)headerLen > length - 8)
            throw new SafetensorsException($"{source}: truncated: header length {headerLen} exceeds the {length - 8} bytes after it");
        var headerBytes = new byte[headerLen];
        stream.ReadExactly(headerBytes);
        long dataStart = 8 + (long)headerLen, dataLength = length - dataStart;

        var entries = new List<(string Name, ScalarType Type, long[] Shape, long Begin, long End)>();
        try
        {
            using var header = JsonDocument.Parse(headerBytes);
            if (header.RootElement.ValueKind != JsonValueKind.Object) throw new SafetensorsException($"{source}: header is not a JSON object");
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in header.RootElement.EnumerateObject())
            {
                if (!names.Add(property.Name)) throw new SafetensorsException($"{source}: tensor '{property.Name}' is listed twice in the header");
                if (property.Name == "__metadata__") continue;
                var (type, shape, begin, end) = ParseEntry(source, property.Name, property.Value);
                if (end > dataLength)
                    throw new SafetensorsException($"{source}: truncated: tensor '{property.Name}' ends at byte {end} of a {dataLength}-byte data section");
                entries.Add((property.Name, type, shape, begin, end));
            }
        }
        catch (JsonException e)
        {
            throw new SafetensorsException($"{source}: header is not valid JSON: {e.Message}");
        }
        CheckTiling(source, entries.Select(e => (e.Name, e.Begin, e.End)), dataLength);

        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, type, shape, begin, end) in entries)
            {
                var t = empty(shape, type);
                result[name] = t;
                if (end > begin)
                {
                    var buffer = new byte[end - begin];
                    stream.Position = dataStart + begin;
                    stream.ReadExactly(buffer);
                    t.bytes = buffer;
                }
            }
        }
        catch
        {
            foreach (var t in result.Values) t.Dispose();
            throw;
        }
        return result;
    }

    /// <summary>
    /// The tensors, in offset order, must cover the data section exactly: anything else means a corrupt or
    /// hand-edited file, whose overlapping tensors or unread bytes would otherwise load without complaint.
    /// </summary>
    private static void CheckTiling(string source, IEnumerable<(string Name, long Begin, long End)> entries, long dataLength)
    {
        long covered = 0;
        string previous = "the start of the data section";
        foreach (var (name, begin, end) in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (begin < covered)
                throw new SafetensorsException($"{source}: tensor '{name}' at bytes [{begin}, {end}] overlaps {previous}, which ends at byte {covered}");
            if (begin > covered)
                throw new SafetensorsException($"{source}: tensor '{name}' starts at byte {begin}, leaving a gap of {begin - covered} bytes after {previous}");
            covered = end;
            previous = $"tensor '{name}'";
        }
        if (covered != dataLength)
            throw new SafetensorsException($"{source}: {dataLength - covered} trailing bytes after the last tensor, which ends at byte {covered} of a {dataLength}-byte data section");
    }

    private static (ScalarType Type, long[] Shape, long Begin, long End) ParseEntry(string source, string name, JsonElement entry)
    {
        string Where(string what) => $"{source}: tensor '{name}': {what}";
        if (entry.ValueKind != JsonValueKind.Object) throw new SafetensorsException(Where("entry is not an object"));
        string? dtype = entry.TryGetProperty("dtype", out var dtypeNode) && dtypeNode.ValueKind == JsonValueKind.String ? dtypeNode.GetString() : null;
        if (dtype is null) throw new SafetensorsException(Where("dtype is missing"));
        if (!DTypes.TryGetValue(dtype, out var type))
            throw new SafetensorsException(Where($"dtype '{dtype}' is not supported (supported: {string.Join(", ", DTypes.Keys)})"));
        if (!entry.TryGetProperty("shape", out var shapeNode) || shapeNode.ValueKind != JsonValueKind.Array)
            throw new SafetensorsException(Where("shape is missing"));
        var shape = shapeNode.EnumerateArray().Select(d => ReadLong(d, Where("shape"))).ToArray();
        if (shape.Any(d => d < 0)) throw new SafetensorsException(Where($"shape [{string.Join(",", shape)}] has a negative size"));
        if (!entry.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
            throw new SafetensorsException(Where("data_offsets must be [begin, end]"));
        long begin = ReadLong(offsets[0], Where("data_offsets")), end = ReadLong(offsets[1], Where("data_offsets"));
        long expected;
        try
        {
            expected = checked(shape.Aggregate(1L, (a, b) => checked(a * b)) * ElementSize(type));
        }
        catch (OverflowException)
        {
            throw new SafetensorsException(Where($"shape [{string.Join(",", shape)}] of {dtype} has more bytes than a 64-bit size can count"));
        }
        if (begin < 0 || end < begin || end - begin != expected)
            throw new SafetensorsException(Where($"data_offsets [{begin}, {end}] do not hold {expected} bytes of {dtype} [{string.Join(",", shape)}]"));
        return (type, shape, begin, end);
    }

    private static long ReadLong(JsonElement node, string where)
    {
        if (node.ValueKind == JsonValueKind.Number && node.TryGetInt64(out long x)) return x;
        throw new SafetensorsException($"{where}: '{node.GetRawText()}' is not an integer");
    }
}
