namespace Seaweed.Grains.Generation;

/// <summary>
/// One video to generate: the prompt as the user typed it, the output grid (frames, width × height), the sampler
/// settings and the seed (the same request gives the same video). <see cref="ImageKey"/> (image to video: the first
/// frame) and <see cref="VideoKey"/> (continuation of a video) name artefacts already in the store; at most one is
/// given. <see cref="Model"/> names the model; null takes the silo's default. <see cref="Tiles"/> decodes the video
/// on that grid of tiles across the cluster's silos (the exact tiled decode); null leaves it to the silo's options.
/// </summary>
[GenerateSerializer, Immutable, Alias("seaweed.generation.request")]
public sealed record GenerationRequest(
    string Prompt,
    int Frames,
    int Width,
    int Height,
    int Steps,
    double Guidance,
    long Seed,
    string? ImageKey = null,
    string? VideoKey = null,
    string? Model = null,
    DecodeTiles? Tiles = null);

/// <summary>A grid of <see cref="Rows"/> × <see cref="Columns"/> tiles, as even as the latent allows, to decode a video on.</summary>
[GenerateSerializer, Immutable, Alias("seaweed.generation.decode-tiles")]
public sealed record DecodeTiles(int Rows, int Columns);
