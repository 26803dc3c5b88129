namespace Seaweed.Grains.Stories;

/// <summary>How a shot begins: <c>Continue</c> is conditioned on the previous shot's last frames; a <c>Cut</c> is
/// independent of it, so cut shots run in parallel.</summary>
[GenerateSerializer, Alias("seaweed.story.transition")]
public enum ShotTransition { Cut, Continue }

[GenerateSerializer, Immutable, Alias("seaweed.story.shot")]
public sealed record ShotRequest(string Prompt, int Frames, ShotTransition Transition = ShotTransition.Cut);

/// <summary>A multi-shot video: the global description (who and what stays the same in every shot), the shots in
/// order, and the settings every shot shares; shot i is generated with seed <c>Seed + i</c>.</summary>
[GenerateSerializer, Immutable, Alias("seaweed.story.request")]
public sealed record StoryRequest(
    string Description,
    IReadOnlyList<ShotRequest> Shots,
    int Width,
    int Height,
    int Steps,
    double Guidance,
    long Seed,
    string? Model = null);
