using Seaweed.Eval;
using Seaweed.Model;
using Spectre.Console;

namespace Seaweed.Cli;

/// <summary>Accuracies over all objects, over those of held-out compositions and over the seen ones.</summary>
internal sealed record PromptFollowingFigures(AccuracyFigures All, AccuracyFigures HeldOut, AccuracyFigures Seen)
{
    public static PromptFollowingFigures Of(PromptFollowingAccuracy a) => new(AccuracyFigures.Of(a.All), AccuracyFigures.Of(a.HeldOut), AccuracyFigures.Of(a.Seen));
}

/// <summary>Image to video: the given image against the generated first frame (dB), and prompt following of the videos.</summary>
internal sealed record ImageToVideoFigures(int Clips, double FirstFramePsnr, double WorstFirstFramePsnr, AccuracyFigures Accuracy)
{
    public static ImageToVideoFigures Of(ImageToVideoScore s) =>
        new(s.Clips, Math.Round(s.FirstFramePsnr, 2), Math.Round(s.WorstFirstFramePsnr, 2), AccuracyFigures.Of(s.Accuracy));
}

/// <summary>What <c>seaweed eval prompts --json</c> prints.</summary>
internal sealed record EvalPromptsReport(
    string Directory,
    string Model,
    string Set,
    int Prompts,
    long Seed,
    int Steps,
    double Guidance,
    VideoSize Size,
    PromptFollowingFigures TextToVideo,
    PromptFollowingFigures Ceiling,
    ImageToVideoFigures ImageToVideo,
    double Seconds)
{
    public static EvalPromptsReport Of(string directory, string model, string set, PromptEvaluationOptions o, PromptEvaluation e, double seconds) =>
        new(directory, model, set, o.Count, o.Seed, o.Steps, o.Guidance, e.Size, PromptFollowingFigures.Of(e.TextToVideo), PromptFollowingFigures.Of(e.Ceiling),
            ImageToVideoFigures.Of(e.ImageToVideo), Math.Round(seconds, 2));

    public static void Print(IAnsiConsole console, EvalPromptsReport r)
    {
        console.MarkupLine($"Prompt following of [bold]{Markup.Escape(r.Model)}[/] on {r.Prompts} {r.Set} prompts ({r.Size}, {r.Steps} steps, guidance {r.Guidance}, seed {r.Seed}):");
        var table = new Table().AddColumns("videos", "objects", "clips", "colour", "shape", "motion", "all three");
        void Row(string name, AccuracyFigures a) => table.AddRow(name, $"{a.Objects}", $"{a.Clips}", $"{a.Colour:P1}", $"{a.Shape:P1}", $"{a.Motion:P1}", $"{a.All:P1}");
        foreach (var (name, f) in new[] { ("generated", r.TextToVideo), ("ceiling (world renders)", r.Ceiling) })
        {
            Row($"{name}: all", f.All);
            Row($"{name}: held-out", f.HeldOut);
            Row($"{name}: seen", f.Seen);
        }
        Row("image to video", r.ImageToVideo.Accuracy);
        console.Write(table);
        console.MarkupLine($"image to video: {r.ImageToVideo.Clips} clips, first-frame PSNR {r.ImageToVideo.FirstFramePsnr:F2} dB (worst {r.ImageToVideo.WorstFirstFramePsnr:F2} dB)");
    }
}
