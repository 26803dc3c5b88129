using Spectre.Console;

namespace Seaweed.Cli;

/// <summary>
/// What <c>seaweed generate</c> prints: the caption the model read, what the rephraser could not place, the file
/// written, where the job ran and, for a tiled decode, the silos its tiles ran on.
/// </summary>
internal sealed record GenerateReport(
    string JobId,
    string? Caption,
    IReadOnlyList<string> Warnings,
    string Output,
    string? Notice,
    int Frames,
    int Width,
    int Height,
    int Steps,
    double Guidance,
    long Seed,
    string Model,
    string Stored,
    double Seconds,
    string RanOn,
    IReadOnlyList<string>? DecodedOn)
{
    public static void Print(IAnsiConsole console, GenerateReport r)
    {
        console.MarkupLine($"caption: {Markup.Escape(r.Caption ?? "")}");
        foreach (var w in r.Warnings) console.MarkupLine($"[yellow]warning[/]: {Markup.Escape(w)}");
        if (r.Notice is not null) console.MarkupLine($"[yellow]notice[/]: {Markup.Escape(r.Notice)}");
        console.MarkupLine($"wrote {Markup.Escape(r.Output)}: {r.Frames} frames of {r.Width}x{r.Height}, {r.Steps} steps, guidance {r.Guidance}, seed {r.Seed}, in {r.Seconds:F1} s on {Markup.Escape(r.RanOn)}");
        if (r.DecodedOn is { } silos) console.MarkupLine($"decoded on tiles across {Markup.Escape(string.Join(", ", silos))}");
    }
}
