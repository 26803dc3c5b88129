using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Seaweed.Data.Store;
using Seaweed.Grains;
using Seaweed.Grains.Generation;

namespace Seaweed.Silo.Api;

/// <summary>
/// The routes every kind of job has: <c>GET /{id}</c> (status), <c>DELETE /{id}</c> (cancel), <c>GET /{id}/content</c>
/// (the video, 409 until the job has succeeded) and <c>GET /{id}/events</c> (status changes as server-sent events,
/// ending when the job finishes).
/// </summary>
internal static class JobEndpoints
{
    public const string StatusEvent = "status";

    public static RouteGroupBuilder MapJobRoutes<TStatus, TView>(this RouteGroupBuilder group, JobKind<TStatus, TView> kind, string noun)
    {
        group.MapGet("/{id}", async (string id, IGrainFactory grains) => TypedResults.Ok(kind.View(await kind.Status(grains, Known(id)))))
            .WithSummary($"The {noun}'s status").Produces<TView>().ProducesProblem(StatusCodes.Status404NotFound);

        group.MapDelete("/{id}", async (string id, IGrainFactory grains) => TypedResults.Ok(kind.View(await kind.Cancel(grains, Known(id)))))
            .WithSummary($"Cancels the {noun}; a finished one is left as it is").Produces<TView>().ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{id}/content", async (string id, IGrainFactory grains, IArtefactStore store, CancellationToken cancellationToken) =>
            {
                var (phase, key) = kind.Outcome(await kind.Status(grains, Known(id)));
                if (phase != GenerationPhase.Succeeded || key is null)
                    return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: $"The {noun} has no video yet",
                        detail: $"'{id}' is {phase.ToString().ToLowerInvariant()}; its video is here once it has succeeded");
                var video = await store.OpenReadAsync(key, cancellationToken);
                return TypedResults.Stream(video, ContentType(key), enableRangeProcessing: video.CanSeek);
            })
            .WithSummary($"The {noun}'s video (MP4, or GIF where ffmpeg is missing)")
            .Produces(StatusCodes.Status200OK, responseType: null, contentType: "video/mp4", additionalContentTypes: ["image/gif"])
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        group.MapGet("/{id}/events", async (string id, IGrainFactory grains, CancellationToken cancellationToken) =>
            {
                // Asked first so an unknown id is a 404, not an empty stream.
                await kind.Status(grains, Known(id));
                return TypedResults.ServerSentEvents(Events(kind, grains, id, cancellationToken));
            })
            .WithSummary($"The {noun}'s status now and at every change, as server-sent events, until it finishes")
            .Produces<TView>(StatusCodes.Status200OK, "text/event-stream").ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    /// <summary>An id that could never have been issued is unknown without asking (and activating) a grain.</summary>
    public static string Known(string id) => JobIds.IsValid(id) ? id : throw new GenerationNotFoundException(id);

    private static async IAsyncEnumerable<SseItem<TView>> Events<TStatus, TView>(JobKind<TStatus, TView> kind, IGrainFactory grains, string id,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var status in kind.Watch(grains, id, cancellationToken).WithCancellation(cancellationToken))
            yield return new SseItem<TView>(kind.View(status), StatusEvent);
    }

    private static string ContentType(string key) =>
        key.EndsWith(".gif", StringComparison.OrdinalIgnoreCase) ? "image/gif"
        : key.EndsWith(".mp4", StringComparison.OrdinalIgnoreCase) ? "video/mp4"
        : "application/octet-stream";
}
