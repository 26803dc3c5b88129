using System.Buffers.Binary;
using System.Text;
using static TorchSharp.torch;

namespace Seaweed.Model.Tests;

public sealed class SafetensorsTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("seaweed-st-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string PathOf(string name) => Path.Combine(dir, name);

    /// <summary>A file in the public layout, built by hand: header length, JSON, raw bytes.</summary>
    private static byte[] HandBuilt(string headerJson, byte[] data, ulong? headerLength = null)
    {
        var header = Encoding.UTF8.GetBytes(headerJson);
        var bytes = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, headerLength ?? (ulong)header.Length);
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + header.Length);
        return bytes;
    }

    [Fact]
    public void Round_trip_keeps_names_shapes_dtypes_and_values()
    {
        manual_seed(1);
        var tensors = new Dictionary<string, Tensor>
        {
            ["w.f32"] = randn(3, 5),
            ["w.bf16"] = randn(7).to(bfloat16),
            ["w.f16"] = randn(2, 2).to(float16),
            ["ids"] = arange(11, dtype: int64),
            ["flag"] = tensor(new[] { true, false, true }),
            ["scalar"] = tensor(2.5f),
            ["empty"] = zeros(0, 4),
        };
        var path = PathOf("rt.safetensors");
        Safetensors.Save(path, tensors, new Dictionary<string, string> { ["format"] = "pt" });
        var back = Safetensors.Load(path);
        Assert.Equal(tensors.Keys.Order(), back.Keys.Order());
        foreach (var (name, t) in tensors)
        {
            Assert.Equal(t.dtype, back[name].dtype);
            Assert.Equal(t.shape, back[name].shape);
            Assert.True(t.equal(back[name]).all().item<bool>(), name);
        }
        long headerLen = BinaryPrimitives.ReadInt64LittleEndian(File.ReadAllBytes(path).AsSpan(0, 8));
        Assert.Equal(0, headerLen % 8);
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
    }

    [Fact]
    public void Hand_built_file_in_the_public_layout_is_read()
    {
        var data = new byte[24 + 8];
        for (int i = 0; i < 6; i++) BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(4 * i), i * 0.5f);
        BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(24), -42);
        var json = """{"__metadata__":{"format":"pt"},"b":{"dtype":"I64","shape":[1],"data_offsets":[24,32]},"a":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}}""";
        File.WriteAllBytes(PathOf("hand.safetensors"), HandBuilt(json, data));
        var t = Safetensors.Load(PathOf("hand.safetensors"));
        Assert.Equal(new long[] { 2, 3 }, t["a"].shape);
        Assert.Equal(new[] { 0f, 0.5f, 1f, 1.5f, 2f, 2.5f }, t["a"].data<float>().ToArray());
        Assert.Equal(-42L, t["b"].item<long>());
    }

    public static TheoryData<string, string> Broken => new()
    {
        { "truncated", "truncated" },
        { "short", "too short" },
        { "oversized", "exceeds the 100000000-byte limit" },
        { "dtype", "dtype 'Q4' is not supported" },
        { "offsets", "do not hold 24 bytes" },
        { "json", "not valid JSON" },
        { "data", "truncated: tensor 'a' ends at byte 24" },
        { "count overflow", "more bytes than a 64-bit size can count" },
        { "size overflow", "more bytes than a 64-bit size can count" },
        { "gap", "tensor 'b' starts at byte 28, leaving a gap of 4 bytes after tensor 'a'" },
        { "late start", "leaving a gap of 4 bytes after the start of the data section" },
        { "overlap", "tensor 'b' at bytes [20, 24] overlaps tensor 'a'" },
        { "trailing", "4 trailing bytes after the last tensor" },
        { "duplicate", "tensor 'a' is listed twice" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Broken_files_are_rejected_with_a_clear_error(string kind, string message)
    {
        var good = """{"a":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}}""";
        byte[] bytes = kind switch
        {
            "truncated" => HandBuilt(good, new byte[24])[..40],
            "short" => [1, 2, 3],
            "oversized" => HandBuilt(good, new byte[24], headerLength: 1UL << 40),
            "dtype" => HandBuilt(good.Replace("F32", "Q4"), new byte[24]),
            "offsets" => HandBuilt(good.Replace("[0,24]", "[0,20]"), new byte[24]),
            "json" => HandBuilt("{\"a\":", new byte[24]),
            "data" => HandBuilt(good, new byte[12]),
            // 2^62 · 4 elements overflow the count; 2^62 F32 elements overflow the byte size (and wrapped to 0).
            "count overflow" => HandBuilt(good.Replace("[2,3]", "[4611686018427387904,4]"), new byte[24]),
            "size overflow" => HandBuilt(good.Replace("[2,3]", "[4611686018427387904]").Replace("[0,24]", "[0,0]"), new byte[24]),
            "gap" => HandBuilt(good[..^1] + ""","b":{"dtype":"I32","shape":[1],"data_offsets":[28,32]}}""", new byte[32]),
            "late start" => HandBuilt(good.Replace("[0,24]", "[4,28]"), new byte[28]),
            "overlap" => HandBuilt(good[..^1] + ""","b":{"dtype":"I32","shape":[1],"data_offsets":[20,24]}}""", new byte[24]),
            "trailing" => HandBuilt(good, new byte[28]),
            "duplicate" => HandBuilt(good[..^1] + ""","a":{"dtype":"F32","shape":[1],"data_offsets":[24,28]}}""", new byte[28]),
            _ => throw new ArgumentException(kind),
        };
        var path = PathOf($"{kind}.safetensors");
        File.WriteAllBytes(path, bytes);
        var e = Assert.ThrowsAny<IOException>(() => Safetensors.Load(path));
        Assert.Contains(message, e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Tensors_listed_in_any_order_and_empty_ones_anywhere_on_the_tiling_are_read()
    {
        var data = new byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(data, 7);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(4), 9);
        var json = """{"z":{"dtype":"I32","shape":[1],"data_offsets":[4,8]},"e":{"dtype":"F32","shape":[0,3],"data_offsets":[4,4]},"a":{"dtype":"I32","shape":[1],"data_offsets":[0,4]},"end":{"dtype":"U8","shape":[0],"data_offsets":[8,8]}}""";
        File.WriteAllBytes(PathOf("order.safetensors"), HandBuilt(json, data));
        var t = Safetensors.Load(PathOf("order.safetensors"));
        Assert.Equal(7, t["a"].item<int>());
        Assert.Equal(9, t["z"].item<int>());
        Assert.Equal(new long[] { 0, 3 }, t["e"].shape);
        Assert.Equal(4, t.Count);
    }

    [Fact]
    public void Save_disposes_the_copies_it_makes()
    {
        manual_seed(2);
        var tensors = new Dictionary<string, Tensor> { ["a"] = randn(4, 4).t(), ["b"] = randn(3).requires_grad_(), ["c"] = arange(5) };
        var stats = TorchSharp.DisposeScopeManager.Statistics.TensorStatistics;
        long Outstanding() => stats.CreatedOutsideScopeCount - stats.DisposedOutsideScopeCount;
        long before = Outstanding();
        Safetensors.Save(PathOf("scoped.safetensors"), tensors);
        Assert.Equal(before, Outstanding());
        var back = Safetensors.Load(PathOf("scoped.safetensors"));
        Assert.True(back["a"].equal(tensors["a"]).all().item<bool>());
    }

    [Fact]
    public void Model_checkpoint_round_trips_and_refuses_to_overwrite_or_load_mismatched_weights()
    {
        var config = TinyConfigs.Small;
        var tokenizer = Tokenizer.Build(["a red circle moves left"], config.Text);
        manual_seed(7);
        using var model = new SeaweedModel(config, tokenizer);
        var target = PathOf("model");
        model.Save(target);
        var saved = File.ReadAllBytes(Path.Combine(target, SeaweedModel.WeightsFile));
        Assert.Throws<IOException>(() => model.Save(target));
        Assert.Equal(saved, File.ReadAllBytes(Path.Combine(target, SeaweedModel.WeightsFile))); // untouched
        model.Save(target, overwrite: true);
        Assert.Equal([target], Directory.GetDirectories(dir)); // no staging or old copies left behind

        using var loaded = SeaweedModel.Load(target);
        Assert.Equal(config.ToJson(), loaded.Config.ToJson());
        Assert.Equal(tokenizer.Vocabulary, loaded.Tokenizer.Vocabulary);
        var expected = model.state_dict();
        foreach (var (name, t) in loaded.state_dict())
            Assert.True(t.equal(expected[name]).all().item<bool>(), name);

        var weights = Safetensors.Load(Path.Combine(target, SeaweedModel.WeightsFile));
        var name0 = weights.Keys.First(k => k.StartsWith("dit."));
        weights[name0] = weights[name0].to(float64);
        var e = Assert.Throws<SafetensorsException>(() => loaded.LoadWeights(weights, "edited"));
        Assert.Contains(name0, e.Message);
        Assert.Contains("dtype", e.Message);
        weights.Remove(name0);
        e = Assert.Throws<SafetensorsException>(() => loaded.LoadWeights(weights, "edited"));
        Assert.Contains("missing", e.Message);

        File.WriteAllBytes(Path.Combine(target, SeaweedModel.WeightsFile), [0, 1, 2]);
        Assert.Throws<SafetensorsException>(() => SeaweedModel.Load(target));
        Assert.Throws<FileNotFoundException>(() => SeaweedModel.Load(PathOf("nowhere")));
    }

    private (string Staging, string Target) ModelDirectories()
    {
        var target = PathOf("swap");
        var staging = PathOf("swap.new");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "weights"), "old");
        Directory.CreateDirectory(staging);
        File.WriteAllText(Path.Combine(staging, "weights"), "new");
        return (staging, target);
    }

    [Fact]
    public void Failed_swap_restores_the_previous_model()
    {
        var (staging, target) = ModelDirectories();
        void Move(string from, string to)
        {
            if (from == staging) throw new IOException("disk full");
            Directory.Move(from, to);
        }
        var e = Assert.Throws<IOException>(() => SeaweedModel.SwapIn(staging, target, Move, d => Directory.Delete(d, true)));
        Assert.Equal("disk full", e.Message);
        Assert.Equal("old", File.ReadAllText(Path.Combine(target, "weights")));
        Assert.Equal([target, staging], Directory.GetDirectories(dir).Order(StringComparer.Ordinal)); // nothing set aside is left over
    }

    [Fact]
    public void Failure_to_delete_the_previous_model_keeps_the_new_one()
    {
        var (staging, target) = ModelDirectories();
        SeaweedModel.SwapIn(staging, target, Directory.Move, _ => throw new UnauthorizedAccessException("busy"));
        Assert.Equal("new", File.ReadAllText(Path.Combine(target, "weights")));
        var previous = Assert.Single(Directory.GetDirectories(dir), d => d != target);
        Assert.EndsWith(".old", previous);
        Assert.Equal("old", File.ReadAllText(Path.Combine(previous, "weights")));
    }
}
