using Seaweed.Data;
using Seaweed.Data.Store;
using Seaweed.Data.Stories;
using Seaweed.Grains.Compute;
using Seaweed.Grains.Generation;
using Seaweed.Model;
using Seaweed.Model.Pipeline;

namespace Seaweed.Grains.Stories;

/// <summary>
/// Joins a story's shots into its one video: each shot's lossless frames, a continuation without the frames that
/// re-create the end of the shot before it, encoded as MP4 (GIF without ffmpeg) on the CPU workers and stored once
/// under <see cref="StoryKeys.Video"/>.
/// </summary>
public sealed class StoryRenderer(IArtefactStore store, CpuWorkerPool workers, GenerationService generation)
{
    /// <returns>The key of the stored video.</returns>
    public async Task<string> RenderAsync(string story, StoryRequest request, IReadOnlyList<GenerationStatus> jobs, CancellationToken cancellationToken)
    {
        var config = await generation.Models.ConfigAsync(generation.Options.ModelDirectory(request.Model));
        var archives = await ReadAsync(store, jobs, cancellationToken);
        var (extension, bytes) = await workers.Run(() =>
        {
            var (joined, _) = Join(config, request, archives, jobs);
            var (extension, bytes, _) = GenerationArtefacts.EncodeVideoAsync(joined, generation.Ffmpeg, cancellationToken).GetAwaiter().GetResult();
            return (extension, bytes);
        }, cancellationToken);
        string key = StoryKeys.Video(story, extension);
        await GenerationArtefacts.StoreOnceAsync(store, key, bytes, cancellationToken);
        return key;
    }

    /// <summary>The shots' lossless frame archives, in story order.</summary>
    public static Task<byte[][]> ReadAsync(IArtefactStore store, IReadOnlyList<GenerationStatus> jobs, CancellationToken cancellationToken = default) =>
        Task.WhenAll(jobs.Select(j => store.ReadAllBytesAsync(j.FramesKey!, cancellationToken)));

    /// <summary>The story's one video from its shots' archives, and how many frames of each shot it kept.</summary>
    public static (VideoFrames Story, int[] Kept) Join(SeaweedConfig config, StoryRequest request, IReadOnlyList<byte[]> archives, IReadOnlyList<GenerationStatus> jobs)
    {
        var shots = archives.Select((bytes, i) => FrameArchive.Decode(bytes, jobs[i].FramesKey!)).ToArray();
        var overlap = request.Shots.Select((s, i) => s.Transition == ShotTransition.Continue ? GivenFrames(config, shots[i - 1].FrameCount, s.Frames) : 0).ToArray();
        return (StoryJoin.Join(shots, overlap), shots.Select((s, i) => s.FrameCount - overlap[i]).ToArray());
    }

    /// <summary>The leading frames of a <paramref name="frames"/>-frame continuation of a <paramref name="previous"/>-frame
    /// shot that are conditioned on (and re-create) that shot's last frames, as the pipeline chooses them.</summary>
    public static int GivenFrames(SeaweedConfig config, int previous, int frames)
    {
        int dt = config.Vae.TemporalDownsample;
        int latent = GenerationPipeline.GivenLatentFrames(previous, 1 + (frames - 1) / dt, dt);
        return 1 + dt * (latent - 1);
    }
}
