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
            _ => throw new ArgumentException(kind),
        };
        var path = PathOf($"{kind}.safetensors");
        File.WriteAllBytes(path, bytes);
        var e = Assert.ThrowsAny<IOException>(() => Safetensors.Load(path));
        Assert.Contains(message, e.Message);
        Assert.Contains(path, e.Message);
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
}
