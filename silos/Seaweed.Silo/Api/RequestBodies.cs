namespace Seaweed.Silo.Api;

/// <summary>
/// <c>POST /v1/videos</c>, as JSON or multipart form fields (the image then also as a file part). The size is
/// <see cref="Size"/> ("WxH") or <see cref="Width"/> and <see cref="Height"/>; anything left out takes the
/// model's default (its native size, sampling steps and guidance; seed 0). <see cref="Image"/> (base64 PNG) is the
/// first frame of an image-to-video job. <see cref="JobId"/> makes the request idempotent: sent again, the same
/// request returns the same job.
/// </summary>
public sealed record VideoBody(
    string? Prompt,
    int? Frames = null,
    string? Size = null,
    int? Width = null,
    int? Height = null,
    int? Steps = null,
    double? Guidance = null,
    long? Seed = null,
    string? Image = null,
    string? JobId = null);

/// <summary>One shot of <c>POST /v1/stories</c>; <see cref="Transition"/> is <c>cut</c> (the default) or <c>continue</c>.</summary>
public sealed record ShotBody(string? Prompt, int? Frames = null, string? Transition = null);

/// <summary><c>POST /v1/stories</c>: the description every shot shares, the shots, and their common settings.</summary>
public sealed record StoryBody(
    string? Description,
    IReadOnlyList<ShotBody?>? Shots,
    string? Size = null,
    int? Width = null,
    int? Height = null,
    int? Steps = null,
    double? Guidance = null,
    long? Seed = null,
    string? StoryId = null);
