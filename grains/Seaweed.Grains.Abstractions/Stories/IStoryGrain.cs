using Seaweed.Grains.Generation;

namespace Seaweed.Grains.Stories;

/// <summary>
/// A multi-shot story (key: story id): runs one <see cref="IStorySegmentGrain"/> per shot, cut shots in parallel and
/// each <c>continue</c> shot after the one before it, then joins the shots into one video. Every shot's result is
/// persisted, so a story taken up again generates only the shots it is missing.
/// </summary>
public interface IStoryGrain : IGrainWithStringKey
{
    /// <summary>Starts the story; the same request again returns its status, another request under the same id
    /// throws <see cref="GenerationConflictException"/>.</summary>
    Task<StoryStatus> Start(StoryRequest request);

    /// <summary>An id never started throws <see cref="GenerationNotFoundException"/>.</summary>
    Task<StoryStatus> GetStatus();

    Task<StoryStatus> Cancel();

    IAsyncEnumerable<StoryStatus> Watch(CancellationToken cancellationToken = default);
}

/// <summary>One shot of a story (key: <c>"{story}/{shot}"</c>): its generation request, built from the story's
/// description, the shot's prompt and, for a <c>continue</c> shot, the previous shot's frames.</summary>
public interface IStorySegmentGrain : IGrainWithStringKey
{
    /// <summary>Generates the shot, or returns its stored result.</summary>
    Task<ShotStatus> Run(GenerationRequest request);
}
