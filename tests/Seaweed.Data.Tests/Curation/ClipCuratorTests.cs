using Seaweed.Data.Curation;
using Seaweed.Data.Footage;
using Seaweed.Data.World;

namespace Seaweed.Data.Tests.Curation;

public sealed class ClipCuratorTests
{
    private static readonly ClipCurator Curator = new(new CurationOptions { Seed = 2 });

    private static WorldClip Clip(long index, WorldSplit split = WorldSplit.Train, int frames = 17, double still = 0) =>
        new WorldGenerator(new WorldOptions { Seed = 9, Split = split, Sizes = [(128, 96)], FrameCounts = [frames], StillFraction = still }).Clip(index);

    [Fact]
    public void A_good_clip_becomes_a_captioned_bucketed_candidate()
    {
        var clip = Clip(0);
        var curated = Curator.Curate("v-c000", "v", 40, clip.Render(), captionVariant: 1);
        var r = curated.Record;
        Assert.Equal(ClipVerdict.Candidate, r.Verdict);
        Assert.True(CaptionParser.Parse(r.Caption!.Detailed).Matches(clip.Content), $"{r.Caption.Detailed} vs {clip.Content}");
        Assert.Equal(CaptionGrammar.Write(r.Content!, 1), r.Caption);
        Assert.Equal(("4:3", 128, 96, 17), (r.Bucket, r.SampleWidth, r.SampleHeight, r.SampleFrames));
        Assert.Equal((40, 57, 40), (r.Start, r.End, r.SampleStart));
        Assert.Equal(Curator.Options.Tokens(AspectBuckets.Default.Buckets.Single(b => b.Name == "4:3"), 17), r.Tokens);
        Assert.Equal(ClipSignature.ByteLength, r.Signature!.Length);
        var sample = curated.Sample!;
        Assert.Equal((128, 96, 17), (sample.Width, sample.Height, sample.FrameCount));
        Assert.Equal(r, ClipRecord.FromBytes(r.ToBytes(), "round trip") with { Signature = r.Signature });
    }

    [Fact]
    public void A_longer_clip_is_cut_to_its_duration_bucket_around_the_middle()
    {
        var curated = Curator.Curate("v-c001", "v", 0, Clip(1, frames: 25).Render());
        Assert.Equal(ClipVerdict.Candidate, curated.Record.Verdict);
        Assert.Equal((17, 4), (curated.Record.SampleFrames, curated.Record.SampleStart));
        Assert.Equal(17, curated.Sample!.FrameCount);
    }

    [Fact]
    public void A_spoiled_clip_is_invalid_and_a_short_one_too_short()
    {
        var dark = Curator.Curate("v-c002", "v", 0, Defects.Scale(Clip(2).Render(), 0.1));
        Assert.Equal((ClipVerdict.Invalid, ShotQuality.Dark), (dark.Record.Verdict, dark.Record.Quality.Quality));
        Assert.Null(dark.Sample);
        Assert.Null(dark.Record.Caption);

        var shortClip = Curator.Curate("v-c003", "v", 0, Clip(3).Render().Slice(0, 6));
        Assert.Equal(ClipVerdict.TooShort, shortClip.Record.Verdict);
        Assert.Null(shortClip.Sample);
    }

    [Fact]
    public void A_still_goes_to_the_image_bucket()
    {
        var still = Enumerable.Range(0, 50).Select(i => Clip(i, frames: 2, still: 1)).First(c => c.Content.IsStill);
        var curated = Curator.Curate("img-c000", "img", 0, still.Render());
        Assert.Equal(ClipVerdict.Candidate, curated.Record.Verdict);
        Assert.Equal(1, curated.Record.SampleFrames);
        Assert.Null(curated.Record.Content!.First.Motion);
    }

    [Fact]
    public void A_held_out_composition_never_becomes_a_sample()
    {
        for (int i = 0; i < 4; i++)
        {
            var clip = Clip(i, WorldSplit.HeldOut);
            var curated = Curator.Curate($"h-c{i:D3}", "h", 0, clip.Render());
            Assert.Equal(ClipVerdict.HeldOut, curated.Record.Verdict);
            Assert.True(HeldOut.Touches(curated.Record.Content!));
            Assert.Null(curated.Sample);
            Assert.Null(curated.Record.Signature);
        }
    }

    [Fact]
    public void Bad_arguments_name_the_parameter()
    {
        var frames = Clip(0).Render();
        Assert.Equal("clipId", Assert.ThrowsAny<ArgumentException>(() => Curator.Curate(" ", "v", 0, frames)).ParamName);
        Assert.Equal("videoId", Assert.ThrowsAny<ArgumentException>(() => Curator.Curate("c", "", 0, frames)).ParamName);
        Assert.Equal("start", Assert.Throws<ArgumentOutOfRangeException>(() => Curator.Curate("c", "v", -1, frames)).ParamName);
        Assert.Equal("PackCapacity", Assert.Throws<ArgumentException>(() => new ClipCurator(new CurationOptions { PackCapacity = 10 })).ParamName);
        Assert.Equal("DuplicateThreshold", Assert.Throws<ArgumentException>(() => new ClipCurator(new CurationOptions { DuplicateThreshold = 2 })).ParamName);
    }
}
