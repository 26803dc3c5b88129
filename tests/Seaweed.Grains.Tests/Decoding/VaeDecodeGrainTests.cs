using Seaweed.Grains.Decoding;
using Seaweed.Grains.Training;
using static TorchSharp.torch;

namespace Seaweed.Grains.Tests.Decoding;

public class VaeDecodeGrainTests(DecodingCluster fixture) : IClassFixture<DecodingCluster>
{
    private static readonly Lazy<Dictionary<string, CausalVaeReference>> References = new(() => new()
    {
        [SeededVaes.Vae48] = new(SeededVaes.Vae48),
        [SeededVaes.Vae64] = new(SeededVaes.Vae64),
    });

    /// <summary>Whole-frame decode of the test latent (4 frames of 5×5), computed once per model.</summary>
    private sealed class CausalVaeReference(string model)
    {
        public Tensor Latent { get; } = SeededVaes.Latent(model, 4, 5, 5);
        private readonly Lazy<Tensor> video = new(() =>
        {
            using var vae = SeededVaes.Load(model);
            using var noGrad = no_grad();
            return vae.Decode(SeededVaes.Latent(model, 4, 5, 5));
        });
        public Tensor Video => video.Value;
    }

    public static TheoryData<string, int, int, int[]?, int[]?, int?, int> Cases()
    {
        var data = new TheoryData<string, int, int, int[]?, int[]?, int?, int>();
        foreach (var model in new[] { SeededVaes.Vae48, SeededVaes.Vae64 })
        {
            data.Add(model, 1, 1, null, null, null, VaeDecodeRequest.DefaultMaxMessageBytes);   // 1×1, all frames at once
            data.Add(model, 2, 2, null, null, 1, VaeDecodeRequest.DefaultMaxMessageBytes);      // 2×2 (3 + 2 each way), a frame at a time
            data.Add(model, 3, 2, [1, 3, 1], [2, 3], 2, 8192);                                  // 3×2 unequal, by 2, messages in parts
            data.Add(model, 3, 2, [2, 1, 2], [4, 1], null, VaeDecodeRequest.DefaultMaxMessageBytes);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Tiles_decoded_on_several_silos_equal_whole_frame_decode(string model, int rows, int columns, int[]? rowHeights, int[]? columnWidths, int? chunkFrames, int maxMessageBytes)
    {
        var reference = References.Value[model];
        var request = new VaeDecodeRequest(model, FloatTensors.From(reference.Latent), new TileLayout(rows, columns, rowHeights, columnWidths), chunkFrames, maxMessageBytes);
        var grain = fixture.Grains.GetGrain<IVaeDecodeGrain>($"decode-{Guid.NewGuid():N}");

        var decoded = await grain.DecodeAsync(request);
        using var video = decoded.Video;

        Assert.Equal(reference.Video.shape, video.shape);
        using var diff = (video - reference.Video).abs().max();
        Assert.True(diff.item<float>() <= 5e-5, $"max |diff| = {diff.item<float>():E3}");
        Assert.Equal(Enumerable.Range(0, rows * columns), decoded.TileSilos.Keys.Order());
        if (rows * columns > 1) Assert.True(decoded.TileSilos.Values.Distinct().Count() >= 2, "the tiles must run on both silos");
    }

    public static TheoryData<TileLayout, int?, string> BadLayouts() => new()
    {
        { new TileLayout(6, 1), null, "tiles.rows" },                    // more tile rows than the latent's 5
        { new TileLayout(0, 2), null, "tiles.rows" },                    // zero tiles
        { new TileLayout(2, 1, [0, 5], [5]), null, "tiles.rowHeights[0]" }, // a tile smaller than the halo
        { new TileLayout(1, 2, [5], [2, 2]), null, "latent.width" },     // tiles that do not cover the latent
        { new TileLayout(1, 2, [5], [5]), null, "tiles.columnWidths" },  // sizes that do not match the counts
        { new TileLayout(2, 2), 0, "chunkFrames" },
    };

    [Theory]
    [MemberData(nameof(BadLayouts))]
    public async Task A_bad_layout_is_refused_naming_the_field(TileLayout tiles, int? chunkFrames, string field)
    {
        var reference = References.Value[SeededVaes.Vae48];
        var request = new VaeDecodeRequest(SeededVaes.Vae48, FloatTensors.From(reference.Latent), tiles, chunkFrames);
        var e = await Assert.ThrowsAnyAsync<ArgumentException>(() => fixture.Grains.GetGrain<IVaeDecodeGrain>($"bad-{Guid.NewGuid():N}").DecodeAsync(request));
        Assert.Contains($"'{field}'", e.Message);
    }

    [Fact]
    public async Task A_bad_latent_or_model_is_refused_naming_the_field()
    {
        var latent = FloatTensors.From(References.Value[SeededVaes.Vae48].Latent);
        var grain = fixture.Grains.GetGrain<IVaeDecodeGrain>($"bad-{Guid.NewGuid():N}");
        async Task<string> Refused(VaeDecodeRequest request) => (await Assert.ThrowsAnyAsync<ArgumentException>(() => grain.DecodeAsync(request))).Message;

        var good = new VaeDecodeRequest(SeededVaes.Vae48, latent, new TileLayout(2, 2));
        Assert.Contains("'model'", await Refused(good with { Model = "nope" }));
        Assert.Contains("latent", await Refused(good with { Latent = latent with { Data = latent.Data[..^4] } }));
        Assert.Contains("'latent'", await Refused(good with { Latent = FloatTensors.From(zeros([1, 3, 2, 4, 4])) })); // channels of another VAE
        Assert.Contains("'maxMessageBytes'", await Refused(good with { MaxMessageBytes = 100 }));
    }

    [Fact]
    public async Task A_tile_that_fails_aborts_the_others_and_its_error_reaches_the_caller()
    {
        var first = fixture.Cluster.Silos.Single(s => s.Name == "Silo_0").SiloAddress;
        var latent = FloatTensors.From(References.Value[SeededVaes.Vae48].Latent);
        var request = new VaeDecodeRequest(DecodingCluster.BrokenOnSecondSilo, latent, new TileLayout(2, 2));
        var grain = fixture.Grains.GetGrain<IVaeDecodeGrain>($"broken-{Guid.NewGuid():N}");
        // The decode grain plans on the silo that loads the model; half its tiles land on the one that does not.
        // The error is the failing tile's, not a healthy neighbour's failed delivery to it. A healthy tile left running
        // would wait out its neighbour's timeout and end the run with a TimeoutException, not be cut short.
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => PlacementHint.On(first, () => grain.DecodeAsync(request)));
        Assert.Contains("does not load on Silo_1", e.Message);
    }
}
