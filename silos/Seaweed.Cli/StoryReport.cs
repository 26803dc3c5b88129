using Seaweed.Data.Stories;
using Spectre.Console;

namespace Seaweed.Cli;

/// <summary>One shot as <c>seaweed story</c> reports it: the caption the model read, whether it was taken from an
/// earlier run, and the file written.</summary>
internal sealed record StoryShotReport(int Shot, string Transition, int Frames, string? Caption, bool Reused, IReadOnlyList<string> Warnings, string Output);

/// <summary>What <c>seaweed story</c> prints: the joined video, every shot, and how far each join jumps against the
/// frame-to-frame steps inside the shots beside it.</summary>
internal sealed record StoryReport(
    string StoryId,
    string Output,
    string? Notice,
    int Frames,
    int Width,
    int Height,
    IReadOnlyList<StoryShotReport> Shots,
    IReadOnlyList<JoinContinuity> Joins,
    string Stored,
    double Seconds)
{
    public static void Print(IAnsiConsole console, StoryReport r)
    {
        foreach (var s in r.Shots)
        {
            console.MarkupLine($"shot {s.Shot} ({s.Transition}, {s.Frames} frames{(s.Reused ? ", reused" : "")}): {Markup.Escape(s.Caption ?? "")} → {Markup.Escape(s.Output)}");
            foreach (var w in s.Warnings) console.MarkupLine($"  [yellow]warning[/]: {Markup.Escape(w)}");
        }
        foreach (var j in r.Joins)
            console.MarkupLine($"join at frame {j.Frame}: jumps {j.Boundary:F1}; inside the shots beside it {j.WithinMean:F1} on average, {j.WithinMax:F1} at most");
        if (r.Notice is not null) console.MarkupLine($"[yellow]notice[/]: {Markup.Escape(r.Notice)}");
        console.MarkupLine($"wrote {Markup.Escape(r.Output)}: {r.Frames} frames of {r.Width}x{r.Height} in {r.Seconds:F1} s (story {Markup.Escape(r.StoryId)})");
    }
}
