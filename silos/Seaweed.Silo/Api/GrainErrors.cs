using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Seaweed.Grains.Generation;

namespace Seaweed.Silo.Api;

/// <summary>
/// The grains' answers as problem details: unknown id 404, another request under the same id 409, a full queue
/// 429 with Retry-After, bad input found past the request's checks 400 naming the field, the model not there 503.
/// </summary>
internal sealed class GrainErrors(ApiSettings settings) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (GenerationNotFoundException e)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such job", detail: e.Message);
        }
        catch (GenerationConflictException e)
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The id holds a different request", detail: e.Message);
        }
        catch (GenerationQueueFullException e)
        {
            context.HttpContext.Response.Headers[HeaderNames.RetryAfter] = settings.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "The generation queue is full", detail: e.Message);
        }
        catch (ModelUnavailableException e)
        {
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The model is not available", detail: e.Message);
        }
        catch (GenerationInputException e)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { [e.Field] = [e.Reason] });
        }
    }
}
