namespace Seaweed.Model.Tests;

public class ConfigTests
{
    [Fact]
    public void Tiny_preset_maps_17x64x64_to_80_tokens_with_either_vae()
    {
        Assert.Equal((5, 8, 8), Presets.Tiny.LatentGrid(Presets.Tiny.Video));
        Assert.Equal((5, 4, 4), Presets.Tiny64.LatentGrid(Presets.Tiny64.Video));
        Assert.Equal(33, Presets.Tiny.DitInputChannels);
        Assert.Equal(97, Presets.Tiny64.DitInputChannels);
    }

    [Fact]
    public void Seaweed7b_dit_has_7b_parameters_computed_without_allocating()
    {
        long count = HybridStreamDiT.ParameterCount(Presets.Seaweed7B);
        Assert.InRange(count, 6_300_000_000L, 7_700_000_000L);
    }

    [Fact]
    public void Json_round_trip_preserves_every_field()
    {
        var json = Presets.Tiny64.ToJson();
        var back = SeaweedConfig.FromJson(json);
        Assert.Equal(json, back.ToJson());
    }

    public static TheoryData<string, string> BadConfigs => new()
    {
        { """{"dit": {"hidden": -256}}""", "dit.hidden" },
        { """{"dit": {"hidden": 0}}""", "dit.hidden" },
        { """{"dit": {"heads": 3}}""", "dit.heads" },
        { """{"dit": {"ropeTheta": "NaN"}}""", "dit.ropeTheta" },
        { """{"dit": {"normEps": -1e-6}}""", "dit.normEps" },
        { """{"dit": {"patch": [1, 3, 3]}}""", "video.height" },
        { """{"dit": {"patch": [2, 2, 2]}}""", "video.frames" },
        { """{"dit": {"dualStreamLayers": 9}}""", "dit.dualStreamLayers" },
        { """{"dit": {"attention": "sparse"}}""", "dit.attention" },
        { """{"vae": {"spatialDownsample": 16}}""", "vae.channels" },
        { """{"vae": {"latentChannels": -16}}""", "vae.latentChannels" },
        { """{"vae": {"latentScale": "Infinity"}}""", "vae.latentScale" },
        { """{"vae": {"channels": [32, 60, 128, 128]}}""", "vae.channels[1]" },
        { """{"video": {"frames": 16, "height": 64, "width": 64}}""", "video.frames" },
        { """{"video": {"frames": 17, "height": 60, "width": 64}}""", "video.height" },
        { """{"video": {"frames": -17, "height": 64, "width": 64}}""", "video.frames" },
        { """{"text": {"heads": 5}}""", "text.heads" },
        { """{"text": {"vocabSize": 8}}""", "text.vocabSize" },
        { """{"flow": {"guidance": "NaN"}}""", "flow.guidance" },
        { """{"flow": {"samplingSteps": 0}}""", "flow.samplingSteps" },
        { """{"dit": {"hiddn": 256}}""", "dit.hiddn" },
    };

    [Theory]
    [MemberData(nameof(BadConfigs))]
    public void Bad_config_is_rejected_naming_the_field(string json, string field)
    {
        var e = Assert.Throws<ConfigException>(() => SeaweedConfig.FromJson(json));
        Assert.Equal(field, e.Field);
        Assert.StartsWith(field, e.Message);
    }

    [Fact]
    public void Requested_sizes_off_the_latent_grid_are_rejected()
    {
        var e = Assert.Throws<ConfigException>(() => Presets.Tiny.LatentGrid(new VideoSize(17, 64, 72)));
        Assert.Equal("size.width", e.Field);
        Assert.Equal((1, 4, 6), Presets.Tiny.LatentGrid(new VideoSize(1, 32, 48)));
    }

    [Fact]
    public void Unknown_preset_names_the_choices()
    {
        var e = Assert.Throws<ConfigException>(() => Presets.Get("huge"));
        Assert.Contains("tiny", e.Message);
    }
}
