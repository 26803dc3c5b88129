using Seaweed.Data;
using Seaweed.Data.Dataset;
using Seaweed.Data.Store;
using Seaweed.Data.World;
using Seaweed.Model;
using Seaweed.Training.Samples;

namespace Seaweed.Training.Tests;

public class SampleSourceTests
{
    [Fact]
    public async Task World_images_are_stills_and_videos_have_the_stage_frames_described_as_rendered()
    {
        var world = new WorldSampleSource(seed: 3, videoFrames: 9);
        for (int i = 0; i < 4; i++)
        {
            var image = world.Describe(Modality.Image, i);
            var video = world.Describe(Modality.Video, i);
            Assert.Equal(1, image.Frames);
            Assert.Equal(9, video.Frames);
            var frames = await world.ReadAsync(video);
            Assert.Equal((video.Width, video.Height, video.Frames), (frames.Width, frames.Height, frames.FrameCount));
        }
    }

    [Fact]
    public void World_items_depend_only_on_seed_stream_and_position()
    {
        var a = new WorldSampleSource(seed: 3, videoFrames: 9);
        var b = new WorldSampleSource(seed: 3, videoFrames: 9);
        var c = new WorldSampleSource(seed: 4, videoFrames: 9);
        var first = Enumerable.Range(0, 16).Select(i => a.Describe(Modality.Video, i)).ToList();
        Assert.Equal(first, Enumerable.Range(0, 16).Reverse().Select(i => b.Describe(Modality.Video, i)).Reverse());
        Assert.NotEqual(first.Select(s => s.Caption), Enumerable.Range(0, 16).Select(i => c.Describe(Modality.Video, i).Caption));
        // The image stream is not the video stream frozen: image i seldom shows video i's first object.
        Assert.True(Enumerable.Range(0, 16).Count(i => first[i].ShortCaption.StartsWith(a.Describe(Modality.Image, i).ShortCaption.Split(" and ")[0], StringComparison.Ordinal)) < 4);
    }

    [Fact]
    public void World_corpus_gives_a_tokenizer_that_knows_every_word_of_later_captions()
    {
        var world = new WorldSampleSource(seed: 3, videoFrames: 17);
        var tokenizer = Tokenizer.Build(world.Corpus(), Presets.Tiny.Text);
        var later = Enumerable.Range(50_000, 200).SelectMany(i => new[] { world.Describe(Modality.Video, i), world.Describe(Modality.Image, i) });
        var unknown = later.SelectMany(s => Tokenizer.Words(s.Caption + " " + s.ShortCaption)).Where(w => !tokenizer.IsKnown(w)).Distinct().ToList();
        Assert.Empty(unknown);
    }

    private static async Task<IArtefactStore> StoreWithDataset(TempDirectory dir, string name, int samples)
    {
        var store = new LocalArtefactStore(dir.Path);
        var world = new WorldGenerator(new WorldOptions { Seed = 5, Sizes = [(64, 48)], FrameCounts = [9] });
        var items = Enumerable.Range(0, samples).Select(i =>
        {
            var clip = world.Clip(i);
            var frames = clip.Render();
            var info = new SampleInfo($"clip-{i:D2}", frames.Width, frames.Height, frames.FrameCount, frames.Fps, "4:3", 36, i,
                clip.Caption.Detailed, clip.Caption.Short, "raw", 0);
            return (info, (Func<CancellationToken, Task<VideoFrames>>)(_ => Task.FromResult(frames)));
        }).ToList();
        await new DatasetWriter(store).WriteAsync(name, 1, items);
        return store;
    }

    [Fact]
    public async Task Dataset_is_read_in_a_fresh_permutation_every_epoch()
    {
        using var dir = new TempDirectory();
        var store = await StoreWithDataset(dir, "five", 5);
        var source = await DatasetSampleSource.OpenAsync(store, "five", seed: 1);
        var ids = Enumerable.Range(0, 15).Select(i => source.Describe(Modality.Video, i).Caption).ToList();
        for (int epoch = 0; epoch < 3; epoch++) Assert.Equal(5, ids.Skip(5 * epoch).Take(5).Distinct().Count());
        Assert.NotEqual(ids.Take(5), ids.Skip(5).Take(5));
        var again = await DatasetSampleSource.OpenAsync(store, "five", seed: 1);
        Assert.Equal(ids, Enumerable.Range(0, 15).Select(i => again.Describe(Modality.Video, i).Caption));
        var clip = source.Describe(Modality.Image, 7);
        var frames = await source.ReadAsync(clip);
        Assert.Equal((64, 48, 9), (frames.Width, frames.Height, frames.FrameCount));
    }

    [Fact]
    public async Task A_missing_dataset_is_a_config_error_naming_data_name()
    {
        using var dir = new TempDirectory();
        var store = new LocalArtefactStore(dir.Path);
        var e = await Assert.ThrowsAsync<ConfigException>(() => DatasetSampleSource.OpenAsync(store, "nope", 0));
        Assert.Equal("data.name", e.Field);
        Assert.Contains("nope", e.Message);
        var config = TrainingConfig.FromJson("""{"data": {"source": "dataset", "name": "nope"}}""");
        Assert.Equal("data.name", (await Assert.ThrowsAsync<ConfigException>(() => SampleSources.OpenAsync(config, store))).Field);
        Assert.Equal("data.source", (await Assert.ThrowsAsync<ConfigException>(() => SampleSources.OpenAsync(config, null))).Field);
    }
}
