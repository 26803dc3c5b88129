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

        // Stored before Submit (a job reads its image when it runs), under its hash: a retried, concurrent or refused
        // request leaves at most one unreferenced copy and never removes an image an accepted job needs.
        if (png is not null) generation = generation with { ImageKey = await Uploads.StoreAsync(store, png, ".png", request.HttpContext.RequestAborted) };
        var status = await grains.GetGrain<IGenerationGrain>(jobId).Submit(generation);
        var job = VideoJob.From(status);
        return TypedResults.Accepted(job.Links.Self, job);
    }
}
