using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Seaweed.Grains.Stories;

namespace Seaweed.Silo.Api;

/// <summary><c>/v1/stories</c>: start a multi-shot story, then its status, events, video and cancel.</summary>
internal static class StoryEndpoints
{
    public static RouteGroupBuilder MapStories(this RouteGroupBuilder group)
    {
        group.MapPost("/", Create)
            .WithSummary("Starts a story: shots that cut run in parallel, shots that continue follow the shot before")
            .Accepts<StoryBody>("application/json")
            .Produces<StoryJob>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
        return group.MapJobRoutes(StoryJobs.Instance, "story");
    }

    private static async Task<IResult> Create(HttpRequest request, IGrainFactory grains, RequestValidator validator, DefaultModel model, ApiJson json)
    {
        var errors = new FieldErrors();
        var body = await BodyReader.Story(request, json.Requests, errors);
        if ((body is null ? null : validator.Story(body, await model.ConfigAsync(), errors)) is not (var storyId, var story) || errors.Any)
            return TypedResults.ValidationProblem(errors.ToDictionary());
        var job = StoryJob.From(await grains.GetGrain<IStoryGrain>(storyId).Start(story));
        return TypedResults.Accepted(job.Links.Self, job);
    }
}
