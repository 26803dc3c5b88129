using Seaweed.Data.Curation;
using Seaweed.Data.Dataset;
using Seaweed.Data.World;
using Seaweed.Grains.Curation;
using Xunit.Abstractions;

namespace Seaweed.Grains.Tests.Curation;

/// <summary>The curation pipeline on grains: streams between stages, back-pressure, retries, idempotent output.</summary>
public sealed class CurationPipelineTests(CurationCluster fixture, ITestOutputHelper output) : IClassFixture<CurationCluster>
{
    [Fact]
    public async Task Curates_footage_and_a_second_run_over_the_same_input_changes_nothing()
    {
        var request = new CurationRequest(fixture.Inputs, "same-twice", MaxVideosInFlight: 2);
        var first = await fixture.RunAsync(request);
        output.WriteLine(first.ToString());
        Assert.Equal(CurationPhase.Completed, first.Phase);
        Assert.False(first.DatasetUnchanged);
        Assert.Empty(first.Failures);
        Assert.Equal(2, first.MaxVideosInFlightSeen);
        var counts = first.Counts!;
        Assert.True(counts.Samples > 0, $"no samples: {counts}");
        Assert.Equal(counts.Clips, counts.Invalid + counts.TooShort + counts.Uncaptioned + counts.HeldOut + counts.Duplicates + counts.BalancedOut + counts.Samples);

        // The clips fanned out over both silos.
        Assert.Equal(2, first.ClipsBySilo.Count);
        Assert.Equal(counts.Clips, first.ClipsBySilo.Values.Sum());

        var manifestBytes = await fixture.Store.ReadAllBytesAsync(first.ManifestKey!);
        var second = await fixture.RunAsync(request);
        Assert.Equal(CurationPhase.Completed, second.Phase);
        Assert.True(second.DatasetUnchanged);
        Assert.Equal(manifestBytes, await fixture.Store.ReadAllBytesAsync(second.ManifestKey!));

        var reader = await DatasetReader.OpenAsync(fixture.Store, "same-twice");
        var samples = reader.Manifest.Samples;
        Assert.Equal(counts.Samples, samples.Count);
        Assert.Equal(samples.Count, samples.Select(s => s.Info.Id).Distinct().Count());
        foreach (var sample in samples)
        {
            var frames = await reader.ReadAsync(sample);
            Assert.Equal((sample.Info.Width, sample.Info.Height, sample.Info.Frames), (frames.Width, frames.Height, frames.FrameCount));
            var parsed = CaptionParser.Parse(sample.Info.Caption);
            Assert.NotEmpty(parsed.Objects);
            Assert.DoesNotContain(parsed.Objects, o => o.Motion is { } m && HeldOut.IsHeldOut(new Composition(o.Colour, o.Shape, m)));
        }
        // The run's bulky intermediates are gone once the dataset holds them.
        Assert.Empty(await fixture.Store.ListAsync(CurationKeys.Run(first.RunId) + "clips/"));
        Assert.Empty(await fixture.Store.ListAsync(CurationKeys.Run(first.RunId) + "samples/"));
    }

    [Fact]
    public async Task Stages_failing_mid_batch_are_retried_and_the_dataset_is_the_same()
    {
        var clean = await fixture.RunAsync(new CurationRequest(fixture.Inputs, "clean", MaxVideosInFlight: 3));
        Assert.Equal(CurationPhase.Completed, clean.Phase);

        // Fault the split stage of the second video after its first clip is stored, and the per-clip stage of one
        // clip of the third video after its sample is stored: both halt part-way through their batch.
        var grain = fixture.Cluster.Client.GetGrain<ICurationRunGrain>($"faulty-{Guid.NewGuid():N}");
        string video = fixture.Inputs[1].VideoId, clip = FootageSplitter.ClipId(fixture.Inputs[2].VideoId, 1);
        fixture.Store.FailNextWrite(CurationKeys.ClipFrames(grain.GetPrimaryKeyString(), FootageSplitter.ClipId(video, 1)));
        fixture.Store.FailNextWrite(CurationKeys.Record(grain.GetPrimaryKeyString(), clip));
        int failuresBefore = fixture.Store.Failures;
        var status = await grain.Start(new CurationRequest(fixture.Inputs, "faulty", MaxVideosInFlight: 3));
        while (!status.IsFinished)
        {
            await Task.Delay(100);
            status = await grain.GetStatus();
        }
        output.WriteLine(status.ToString());
        Assert.Equal(2, fixture.Store.Failures - failuresBefore);
        Assert.Equal(CurationPhase.Completed, status.Phase);
        Assert.Empty(status.Failures);
        Assert.Equal(2, status.Retries);
        Assert.Equal(clean.Counts, status.Counts);

        var a = (await DatasetReader.OpenAsync(fixture.Store, "clean")).Manifest;
        var b = (await DatasetReader.OpenAsync(fixture.Store, "faulty")).Manifest;
        Assert.Equal(a.Samples.Select(s => (s.Info, s.Blob.Sha256)), b.Samples.Select(s => (s.Info, s.Blob.Sha256)));
        Assert.Equal(a.Shards.Select(s => s.Sha256), b.Shards.Select(s => s.Sha256));
    }

    [Fact]
    public async Task A_corrupt_video_fails_alone_with_a_clear_reason()
    {
        string corruptKey = CurationCluster.InputPrefix + "corrupt.mp4";
        var good = await fixture.Store.ReadAllBytesAsync(fixture.Inputs[0].Key);
        await fixture.Store.WriteAsync(corruptKey, new MemoryStream(good[..(good.Length / 3)]), Data.Store.ArtefactWriteMode.Overwrite);
        var inputs = fixture.Inputs.Take(2).Append(new CurationInput("corrupt", corruptKey)).ToArray();

        var status = await fixture.RunAsync(new CurationRequest(inputs, "with-corrupt"));
        output.WriteLine(status.ToString());
        Assert.Equal(CurationPhase.Completed, status.Phase);
        Assert.Equal(1, status.VideosFailed);
        var failure = Assert.Single(status.Failures);
        Assert.Equal("corrupt", failure.Item);
        Assert.Contains("corrupt.mp4", failure.Reason);
        Assert.Equal(0, status.Retries);
        var manifest = (await DatasetReader.OpenAsync(fixture.Store, "with-corrupt")).Manifest;
        Assert.NotEmpty(manifest.Samples);
        Assert.All(manifest.Samples, s => Assert.NotEqual("corrupt", s.Info.SourceVideo));
    }

    [Fact]
    public async Task A_run_whose_every_video_fails_writes_no_dataset()
    {
        var status = await fixture.RunAsync(new CurationRequest([new CurationInput("missing", CurationCluster.InputPrefix + "missing.mp4")], "nothing"));
        Assert.Equal(CurationPhase.Failed, status.Phase);
        Assert.Contains("no clip", status.Error);
        Assert.Equal("missing", Assert.Single(status.Failures).Item);
        Assert.False(await fixture.Store.ExistsAsync(Data.Dataset.DatasetManifest.ManifestKey("nothing")));
    }

    [Fact]
    public async Task A_run_id_that_cannot_name_artefacts_is_refused()
    {
        var grain = fixture.Cluster.Client.GetGrain<ICurationRunGrain>("bad id");
        var e = await Assert.ThrowsAnyAsync<ArgumentException>(() => grain.Start(new CurationRequest(fixture.Inputs, "ds")));
        Assert.Contains("runId", e.Message);
    }

    [Theory]
    [InlineData("Inputs", 0, "ds", 2, 3)]
    [InlineData("Dataset", 1, "a/b", 2, 3)]
    [InlineData("MaxVideosInFlight", 1, "ds", 0, 3)]
    [InlineData("MaxAttempts", 1, "ds", 2, 0)]
    public async Task A_bad_request_is_refused_naming_the_field(string field, int inputs, string dataset, int window, int attempts)
    {
        var grain = fixture.Cluster.Client.GetGrain<ICurationRunGrain>($"bad-{Guid.NewGuid():N}");
        var e = await Assert.ThrowsAnyAsync<ArgumentException>(() => grain.Start(new CurationRequest(fixture.Inputs.Take(inputs).ToArray(), dataset, window, attempts)));
        Assert.Contains(field, e.Message);
        Assert.Equal(CurationPhase.NotStarted, (await grain.GetStatus()).Phase);
    }
}
