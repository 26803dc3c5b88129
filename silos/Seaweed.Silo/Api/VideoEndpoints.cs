using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Seaweed.Data.Store;
using Seaweed.Grains.Generation;
using Seaweed.Model.Pipeline;

namespace Seaweed.Silo.Api;

/// <summary><c>/v1/videos</c>: submit a generation job, then its status, events, video and cancel.</summary>
internal static class VideoEndpoints
{
    public static RouteGroupBuilder MapVideos(this RouteGroupBuilder group)
    {
        group.MapPost("/", Create)
            .WithSummary("Queues a video: text to video, or image to video with a first-frame PNG")
            .Accepts<VideoBody>("application/json", "multipart/form-data")
            .Produces<VideoJob>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return group.MapJobRoutes(VideoJobs.Instance, "video");
    }

    private static async Task<IResult> Create(HttpRequest request, IGrainFactory grains, IArtefactStore store, RequestValidator validator, DefaultModel model,
        ApiSettings settings, GenerationLimits limits, ApiJson json)
    {
        var errors = new FieldErrors();
        var (body, image, png) = await BodyReader.Video(request, json.Requests, settings, limits.MaxSide, errors);
        if ((body is null ? null : validator.Video(body, await model.ConfigAsync(), image, errors)) is not (var jobId, var generation) || errors.Any)
            return TypedResults.ValidationProblem(errors.ToDictionary());

        bool stored = false;
        if (png is not null)
        {
            generation = generation with { ImageKey = ApiRoutes.ImageKey(jobId) };
            stored = await StoreImage(store, jobId, generation.ImageKey, png);
        }
        GenerationStatus status;
        try
        {
            status = await grains.GetGrain<IGenerationGrain>(jobId).Submit(generation);
        }
        catch (Exception e) when (stored && e is GenerationConflictException or GenerationQueueFullException or ArgumentException)
        {
            // Refused: the image uploaded for it goes too, so a rejected request leaves the store as it was.
            await store.DeleteAsync(generation.ImageKey!);
            throw;
        }
        var job = VideoJob.From(status);
        return TypedResults.Accepted(job.Links.Self, job);
    }

    /// <summary>Stores the first frame under its job; true if this request stored it. The same image already there
    /// (a retry of the same job) is kept; a different one means the id holds another request.</summary>
    private static async Task<bool> StoreImage(IArtefactStore store, string jobId, string key, byte[] png)
    {
        try
        {
            await store.WriteAsync(key, new MemoryStream(png, writable: false), ArtefactWriteMode.CreateNew);
            return true;
        }
        catch (ArtefactExistsException)
        {
            if ((await store.ReadAllBytesAsync(key)).AsSpan().SequenceEqual(png)) return false;
            throw new GenerationConflictException(jobId);
        }
    }
}
